// Package accountgen writes synthetic but realistic AWS accounts for
// benchmarks and load tests: `aws iam get-account-authorization-details`
// output in the CLI's pretty-printed form, and a matching credential
// report. Output is a pure function of the options (seeded), so every
// benchmark run reads the same bytes.
package accountgen

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// Version names the generator's output. Bump it whenever the bytes for
// a given seed change, so that benchmarks caching generated files (keyed
// by it) do not measure a stale account.
const Version = 1

// Size is how many entities an account has.
type Size struct {
	Name     string
	Users    int
	Roles    int
	Policies int // customer managed policies
	Groups   int
}

// The sizes the benchmarks use. Quota is the IAM quota maximums.
var (
	Small = Size{Name: "small", Users: 50, Roles: 50, Policies: 30, Groups: 10}
	Large = Size{Name: "large", Users: 1000, Roles: 1000, Policies: 1500, Groups: 100}
	Quota = Size{Name: "quota", Users: 5000, Roles: 5000, Policies: 10000, Groups: 300}
)

// SizeByName returns Small, Large or Quota.
func SizeByName(name string) (Size, bool) {
	for _, s := range []Size{Small, Large, Quota} {
		if s.Name == name {
			return s, true
		}
	}
	return Size{}, false
}

// Options describe one generated account.
type Options struct {
	Size      Size
	Seed      uint64
	AccountID string    // default 111122223333
	Now       time.Time // the credential report's generation time; default 2026-11-01
	// AWSManaged are AWS managed policy documents to draw attachments
	// from (see LoadAWSManaged); nil uses a few built-in ones.
	AWSManaged []AWSManagedPolicy
}

// AWSManagedPolicy is one AWS managed policy the generator can attach.
type AWSManagedPolicy struct {
	Name     string
	ARN      string
	Path     string
	Version  string
	Document json.RawMessage
}

// LoadAWSManaged reads the AWS managed policy set in iam-dataset's layout
// ({"policies": {NAME: {arn, path, defaultVersionId, document}}}), sorted
// by name so the choice of attachments is deterministic.
func LoadAWSManaged(path string) ([]AWSManagedPolicy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var set struct {
		Policies map[string]struct {
			ARN        *string         `json:"arn"`
			Path       *string         `json:"path"`
			Version    string          `json:"defaultVersionId"`
			Deprecated bool            `json:"deprecated"`
			Document   json.RawMessage `json:"document"`
		} `json:"policies"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]AWSManagedPolicy, 0, len(set.Policies))
	for name, p := range set.Policies {
		if p.ARN == nil || p.Deprecated || len(p.Document) == 0 {
			continue
		}
		path := "/"
		if p.Path != nil {
			path = *p.Path
		}
		out = append(out, AWSManagedPolicy{Name: name, ARN: *p.ARN, Path: path, Version: p.Version, Document: p.Document})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// builtinManaged stands in when the real set is not available.
var builtinManaged = []AWSManagedPolicy{
	{Name: "AdministratorAccess", ARN: "arn:aws:iam::aws:policy/AdministratorAccess", Path: "/", Version: "v1",
		Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)},
	{Name: "ReadOnlyAccess", ARN: "arn:aws:iam::aws:policy/ReadOnlyAccess", Path: "/", Version: "v120",
		Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","s3:Get*","s3:List*","iam:Get*","iam:List*"],"Resource":"*"}]}`)},
	{Name: "AmazonS3FullAccess", ARN: "arn:aws:iam::aws:policy/AmazonS3FullAccess", Path: "/", Version: "v2",
		Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}`)},
	{Name: "IAMFullAccess", ARN: "arn:aws:iam::aws:policy/IAMFullAccess", Path: "/", Version: "v2",
		Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount"],"Resource":"*"}]}`)},
	{Name: "AWSLambdaBasicExecutionRole", ARN: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", Path: "/service-role/", Version: "v1",
		Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`)},
}

// Account is a generated account: the output of
// get-account-authorization-details and the credential report rows.
type Account struct {
	Details authorizationDetails
	Report  []reportRow
}

// Generate builds the account described by opt.
func Generate(opt Options) *Account {
	g := newGenerator(opt)
	return g.account()
}

// WriteAuthorizationDetails writes the account as the AWS CLI prints
// get-account-authorization-details (4-space indent, documents decoded).
func (a *Account) WriteAuthorizationDetails(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	return enc.Encode(&a.Details)
}

// WriteCredentialReport writes the credential report CSV.
func (a *Account) WriteCredentialReport(w io.Writer) error {
	var b strings.Builder
	b.WriteString(reportHeader)
	for _, r := range a.Report {
		b.WriteByte('\n')
		b.WriteString(strings.Join(r[:], ","))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// The JSON shapes, in the field order the AWS CLI prints.
type (
	authorizationDetails struct {
		UserDetailList  []user          `json:"UserDetailList"`
		GroupDetailList []group         `json:"GroupDetailList"`
		RoleDetailList  []role          `json:"RoleDetailList"`
		Policies        []managedPolicy `json:"Policies"`
	}
	user struct {
		Path                    string         `json:"Path"`
		UserName                string         `json:"UserName"`
		UserID                  string         `json:"UserId"`
		Arn                     string         `json:"Arn"`
		CreateDate              string         `json:"CreateDate"`
		UserPolicyList          []inlinePolicy `json:"UserPolicyList,omitempty"`
		GroupList               []string       `json:"GroupList"`
		AttachedManagedPolicies []attached     `json:"AttachedManagedPolicies"`
		PermissionsBoundary     *boundary      `json:"PermissionsBoundary,omitempty"`
		Tags                    []tag          `json:"Tags,omitempty"`
	}
	group struct {
		Path                    string         `json:"Path"`
		GroupName               string         `json:"GroupName"`
		GroupID                 string         `json:"GroupId"`
		Arn                     string         `json:"Arn"`
		CreateDate              string         `json:"CreateDate"`
		GroupPolicyList         []inlinePolicy `json:"GroupPolicyList"`
		AttachedManagedPolicies []attached     `json:"AttachedManagedPolicies"`
	}
	role struct {
		Path                     string            `json:"Path"`
		RoleName                 string            `json:"RoleName"`
		RoleID                   string            `json:"RoleId"`
		Arn                      string            `json:"Arn"`
		CreateDate               string            `json:"CreateDate"`
		AssumeRolePolicyDocument document          `json:"AssumeRolePolicyDocument"`
		InstanceProfileList      []instanceProfile `json:"InstanceProfileList"`
		RolePolicyList           []inlinePolicy    `json:"RolePolicyList"`
		AttachedManagedPolicies  []attached        `json:"AttachedManagedPolicies"`
		PermissionsBoundary      *boundary         `json:"PermissionsBoundary,omitempty"`
		Tags                     []tag             `json:"Tags"`
		RoleLastUsed             lastUsed          `json:"RoleLastUsed"`
	}
	managedPolicy struct {
		PolicyName                    string          `json:"PolicyName"`
		PolicyID                      string          `json:"PolicyId"`
		Arn                           string          `json:"Arn"`
		Path                          string          `json:"Path"`
		DefaultVersionID              string          `json:"DefaultVersionId"`
		AttachmentCount               int             `json:"AttachmentCount"`
		PermissionsBoundaryUsageCount int             `json:"PermissionsBoundaryUsageCount"`
		IsAttachable                  bool            `json:"IsAttachable"`
		CreateDate                    string          `json:"CreateDate"`
		UpdateDate                    string          `json:"UpdateDate"`
		PolicyVersionList             []policyVersion `json:"PolicyVersionList"`
	}
	policyVersion struct {
		Document         any    `json:"Document"` // document or json.RawMessage
		VersionID        string `json:"VersionId"`
		IsDefaultVersion bool   `json:"IsDefaultVersion"`
		CreateDate       string `json:"CreateDate"`
	}
	inlinePolicy struct {
		PolicyName     string   `json:"PolicyName"`
		PolicyDocument document `json:"PolicyDocument"`
	}
	attached struct {
		PolicyName string `json:"PolicyName"`
		PolicyArn  string `json:"PolicyArn"`
	}
	boundary struct {
		PermissionsBoundaryType string `json:"PermissionsBoundaryType"`
		PermissionsBoundaryArn  string `json:"PermissionsBoundaryArn"`
	}
	tag struct {
		Key   string `json:"Key"`
		Value string `json:"Value"`
	}
	instanceProfile struct {
		Path                string `json:"Path"`
		InstanceProfileName string `json:"InstanceProfileName"`
		InstanceProfileID   string `json:"InstanceProfileId"`
		Arn                 string `json:"Arn"`
		CreateDate          string `json:"CreateDate"`
		Roles               []any  `json:"Roles"`
	}
	lastUsed struct {
		LastUsedDate string `json:"LastUsedDate,omitempty"`
		Region       string `json:"Region,omitempty"`
	}
	document struct {
		Version   string      `json:"Version"`
		Statement []statement `json:"Statement"`
	}
	statement struct {
		Sid         string                    `json:"Sid,omitempty"`
		Effect      string                    `json:"Effect"`
		Principal   any                       `json:"Principal,omitempty"`
		Action      any                       `json:"Action,omitempty"`
		NotAction   any                       `json:"NotAction,omitempty"`
		Resource    any                       `json:"Resource,omitempty"`
		NotResource any                       `json:"NotResource,omitempty"`
		Condition   map[string]map[string]any `json:"Condition,omitempty"`
	}
)

type reportRow [22]string

const reportHeader = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
