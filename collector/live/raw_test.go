package live

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestPolicyDocument(t *testing.T) {
	const plain = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a+b/100%"}]}`
	for _, c := range []struct {
		name, in string
		want     string // JSON of the result
	}{
		{"URL-encoded, as the API returns it",
			"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D", `{"Version":"2012-10-17","Statement":[]}`},
		{"plus stays a plus", "%7B%22Resource%22%3A%22a+b%22%7D", `{"Resource":"a+b"}`},
		{"encoded space", "%7B%22Sid%22%3A%22a%20b%22%7D", `{"Sid":"a b"}`},
		// moto's AssumeRolePolicyDocument; its "%" must not be decoded.
		{"plain JSON is left alone", plain, plain},
		{"plain JSON with surrounding space", "\n  " + plain + "\n", plain},
		{"invalid escape kept verbatim", "%7B%ZZ", `"%7B%ZZ"`},
		{"not JSON kept verbatim", "%7Bnot json", `"%7Bnot json"`},
		{"JSON but not an object kept verbatim", "%5B1%5D", `"%5B1%5D"`},
		{"empty", "", `""`},
	} {
		b, err := json.Marshal(policyDocument(c.in))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if string(b) != c.want {
			t.Errorf("%s: got %s, want %s", c.name, b, c.want)
		}
	}
}

// section writes SDK values as the AWS CLI prints them.
func TestSection(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	user := iamtypes.UserDetail{
		UserName:   aws.String("alice"),
		CreateDate: &created,
		UserPolicyList: []iamtypes.PolicyDetail{{
			PolicyName:     aws.String("p"),
			PolicyDocument: aws.String("%7B%22Version%22%3A%222012-10-17%22%7D"),
		}},
	}
	mfa := iamtypes.VirtualMFADevice{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/x"),
		Base32StringSeed: []byte("SECRET"), QRCodePNG: []byte("PNG")}
	for _, c := range []struct {
		name     string
		v        any
		has, not []string
	}{
		{"absent members are left out, not null", user,
			[]string{`"UserName":"alice"`, `"CreateDate":"2026-01-02T03:04:05Z"`},
			[]string{"null", "PermissionsBoundary", "Tags"}},
		{"documents become objects", user, []string{`"PolicyDocument":{"Version":"2012-10-17"}`}, []string{"%7B"}},
		{"MFA secrets are dropped", mfa, []string{`"SerialNumber"`}, []string{"Base32StringSeed", "QRCodePNG", "U0VDUkVU"}},
		{"empty lists stay lists", []string{}, []string{"[]"}, nil},
		{"numbers keep their text", map[string]any{"n": json.Number("12345678901234567890")}, []string{"12345678901234567890"}, nil},
	} {
		b, err := section(c.v)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, s := range c.has {
			if !strings.Contains(string(b), s) {
				t.Errorf("%s: %s lacks %s", c.name, b, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(string(b), s) {
				t.Errorf("%s: %s has %s", c.name, b, s)
			}
		}
	}
}

// A password policy that does not exist is written as null, a section
// not collected is left out: readers tell the two apart.
func TestWriteRawNullVersusAbsent(t *testing.T) {
	raw := &Raw{Format: RawFormat, FormatVersion: RawFormatVersion, PasswordPolicy: json.RawMessage("null"),
		Collection: Collection{Calls: []CallRecord{}, Errors: []CallError{}}}
	var buf strings.Builder
	if err := WriteRaw(&buf, &Result{Raw: raw}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(buf.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if v, ok := doc["PasswordPolicy"]; !ok || v != nil {
		t.Errorf("PasswordPolicy = %v (present %v), want null", v, ok)
	}
	if _, ok := doc["CredentialReport"]; ok {
		t.Error("uncollected CredentialReport written")
	}
	if errs, ok := doc["Collection"].(map[string]any)["Errors"].([]any); !ok || len(errs) != 0 {
		t.Errorf("Collection.Errors = %v, want []", doc["Collection"])
	}
	if err := WriteRaw(&buf, &Result{AccountID: "1"}); err == nil {
		t.Error("WriteRaw of a failed account: no error")
	}
}
