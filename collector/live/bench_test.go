package live

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// syntheticDetails is authorization details as the SDK returns them for
// an account of n users and n roles (each with an inline policy) and n/2
// customer policies of three versions, documents URL-encoded.
func syntheticDetails(n int) any {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	doc := url.PathEscape(readS3Policy)
	trust := url.PathEscape(ec2Trust)
	d := struct {
		UserDetailList []iamtypes.UserDetail
		RoleDetailList []iamtypes.RoleDetail
		Policies       []iamtypes.ManagedPolicyDetail
	}{}
	for i := range n {
		d.UserDetailList = append(d.UserDetailList, iamtypes.UserDetail{
			UserName: aws.String(fmt.Sprintf("user%05d", i)), UserId: aws.String(fmt.Sprintf("AIDA%016d", i)),
			Arn: aws.String(fmt.Sprintf("arn:aws:iam::123456789012:user/user%05d", i)), Path: aws.String("/"), CreateDate: &created,
			UserPolicyList: []iamtypes.PolicyDetail{{PolicyName: aws.String("inline"), PolicyDocument: aws.String(doc)}},
			GroupList:      []string{"devs"},
		})
		d.RoleDetailList = append(d.RoleDetailList, iamtypes.RoleDetail{
			RoleName: aws.String(fmt.Sprintf("role%05d", i)), RoleId: aws.String(fmt.Sprintf("AROA%016d", i)),
			Arn: aws.String(fmt.Sprintf("arn:aws:iam::123456789012:role/role%05d", i)), Path: aws.String("/"), CreateDate: &created,
			AssumeRolePolicyDocument: aws.String(trust),
			RolePolicyList:           []iamtypes.PolicyDetail{{PolicyName: aws.String("inline"), PolicyDocument: aws.String(doc)}},
		})
	}
	for i := range n / 2 {
		var versions []iamtypes.PolicyVersion
		for v := 1; v <= 3; v++ {
			versions = append(versions, iamtypes.PolicyVersion{VersionId: aws.String(fmt.Sprintf("v%d", v)), IsDefaultVersion: v == 3,
				Document: aws.String(doc), CreateDate: &created})
		}
		d.Policies = append(d.Policies, iamtypes.ManagedPolicyDetail{
			Arn: aws.String(fmt.Sprintf("arn:aws:iam::123456789012:policy/p%05d", i)), DefaultVersionId: aws.String("v3"),
			PolicyVersionList: versions,
		})
	}
	return d
}

// BenchmarkSection measures turning the SDK's authorization details into
// the document's form (documents decoded, nulls dropped), the collector's
// only CPU-heavy step. The AWS calls dominate a real collection.
func BenchmarkSection(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		details := syntheticDetails(n)
		b.Run(fmt.Sprintf("%d users and roles", n), func(b *testing.B) {
			var size int
			for b.Loop() {
				out, err := section(details)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size)/(1<<20), "MB/doc")
		})
	}
}

// FuzzPolicyDocument: whatever the API returns, the document is either
// kept verbatim or becomes a valid JSON object.
func FuzzPolicyDocument(f *testing.F) {
	for _, s := range []string{readS3Policy, url.PathEscape(plusPolicy), "%7B%ZZ", "", "  {", "%5B%5D", "{\"a\":1}\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		switch v := policyDocument(s).(type) {
		case string:
			if v != s {
				t.Fatalf("kept %q as %q", s, v)
			}
		case json.RawMessage:
			if !json.Valid(v) || !strings.HasPrefix(string(v), "{") {
				t.Fatalf("%q became %q, not a JSON object", s, v)
			}
		default:
			t.Fatalf("%q became a %T", s, v)
		}
	})
}
