// Package snapshot is the normalized IAM state of one AWS account: the
// principals, groups and policies (each document parsed once), the
// credential report, the password policy and the account summary, with
// the lookups every rule shares. Collectors build it; rules read it.
package snapshot

import (
	"fmt"
	"slices"
	"time"

	"github.com/iamscan/iamscan/policy"
)

// Data names one kind of input a rule can depend on. A rule whose data is
// missing from the snapshot is "not evaluable", never "pass".
type Data string

const (
	DataAuthorizationDetails Data = "authorization-details"
	DataCredentialReport     Data = "credential-report"
	DataPasswordPolicy       Data = "password-policy"
	DataAccountSummary       Data = "account-summary"
	DataMFADevices           Data = "mfa-devices"
	DataIdentityProviders    Data = "identity-providers"
	DataServerCertificates   Data = "server-certificates"
	DataOrganizationPolicies Data = "organization-policies"
	DataPolicyDocuments      Data = "policy-documents" // bare policy files
	// DataPolicies is derived: some policy documents were supplied, from
	// authorization details, bare policy files or organization policies.
	// Statement rules need it, so that an input without any policy is
	// "not evaluable" for them rather than a pass.
	DataPolicies Data = "policies"
)

// Snapshot is one account's IAM state.
type Snapshot struct {
	AccountID string
	Partition string // "aws" unless the input says otherwise
	// CollectedAt is when the state was read (credential report generation
	// time, raw document's collection time); zero when unknown.
	CollectedAt time.Time

	// Inputs lists every file read, with its digest, then every file
	// found in an input directory and not read (Kind "skipped"), so that
	// reports show what lay beside the inputs.
	Inputs []Input

	Users    []*User
	Groups   []*Group
	Roles    []*Role
	Policies []*ManagedPolicy // customer managed and AWS managed

	// Standalone holds bare policy documents given as files (identity,
	// trust or resource policies not attached to anything we know).
	Standalone []*StandalonePolicy

	CredentialReport   *CredentialReport // nil when not provided
	PasswordPolicy     *PasswordPolicy   // nil when none is set (see Has)
	AccountSummary     map[string]int64  // nil when not provided
	VirtualMFADevices  []VirtualMFADevice
	OIDCProviders      []OIDCProvider
	SAMLProviders      []SAMLProvider
	ServerCertificates []ServerCertificate
	OrgPolicies        []*OrgPolicy // SCPs and RCPs that apply to the account

	// Present records which kinds of data the inputs supplied. A password
	// policy that was looked for and does not exist is present with a nil
	// PasswordPolicy.
	Present map[Data]bool
	// Unreadable records data an input carried in a form the loader could
	// not read (a section of the wrong type, such as "RoleDetailList": 5),
	// with where; the Problem says what was wrong. Such data is not
	// present (Has is false, whatever Present says): what was read of it
	// is partial, and a rule that needs it must be "not evaluable", not
	// pass on the part that was left.
	Unreadable map[Data]policy.Location

	// Problems lists input the scanner could not fully understand:
	// unknown keys, malformed statements, unresolved managed policies,
	// failed collection calls. They are reported, never dropped.
	Problems []policy.Problem
	// CollectionErrors are API calls a live collection could not make.
	CollectionErrors []CollectionError

	index *index
}

// Input is one file the snapshot was read from.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	Kind   string `json:"kind"` // e.g. "authorization-details", "credential-report", "skipped"
}

// CollectionError is an API call that failed during live collection.
type CollectionError struct {
	Operation string `json:"operation"` // e.g. "GetCredentialReport"
	Code      string `json:"code"`      // e.g. "AccessDenied"
	Message   string `json:"message"`
	// Missing names the data this failure leaves out of the snapshot.
	Missing []Data `json:"missing,omitempty"`
	// Expected marks a refusal that is normal for the caller's position
	// (a member account refused by AWS Organizations): the data is
	// missing all the same, but the collection did what it could.
	Expected bool `json:"expected,omitempty"`
}

// policySources are the data kinds that carry policy documents.
var policySources = []Data{DataAuthorizationDetails, DataPolicyDocuments, DataOrganizationPolicies}

// Has reports whether the inputs supplied a kind of data, in full.
func (s *Snapshot) Has(d Data) bool {
	if d == DataPolicies {
		for _, src := range policySources {
			if s.Has(src) {
				return true
			}
		}
		return false
	}
	_, unreadable := s.Unreadable[d]
	return s.Present[d] && !unreadable
}

// Why says why a kind of data is absent, for the reason a rule that
// needs it is not evaluable: the input that held it could not be read, a
// collection call failed, or no input carried it. It is "" when Has(d).
func (s *Snapshot) Why(d Data) string {
	if s.Has(d) {
		return ""
	}
	kinds := []Data{d}
	if d == DataPolicies {
		kinds = policySources
	}
	for _, k := range kinds {
		if loc, ok := s.Unreadable[k]; ok {
			return fmt.Sprintf("the %s at %s could not be read", k, loc)
		}
	}
	for _, ce := range s.CollectionErrors {
		for _, k := range kinds {
			if slices.Contains(ce.Missing, k) {
				return fmt.Sprintf("no %s: %s failed (%s)", k, ce.Operation, ce.Code)
			}
		}
	}
	return "input has no " + string(d)
}

// Tag is an IAM resource tag.
type Tag struct {
	Key   string
	Value string
}

// PrincipalKind tells users from roles.
type PrincipalKind uint8

const (
	KindUser PrincipalKind = iota + 1
	KindRole
)

func (k PrincipalKind) String() string {
	if k == KindRole {
		return "role"
	}
	return "user"
}

// Principal is what users and roles share.
type Principal struct {
	Kind       PrincipalKind
	Name       string
	ID         string
	ARN        string
	Path       string
	CreateDate time.Time
	Tags       []Tag
	Inline     []*InlinePolicy
	Attached   []*Attachment
	Boundary   *Attachment // permissions boundary, nil when none
	Loc        policy.Location
}

// User is an IAM user.
type User struct {
	Principal
	GroupNames []string
	Groups     []*Group // resolved from GroupNames; unknown names are Problems
}

// Role is an IAM role.
type Role struct {
	Principal
	Trust              *policy.Document // AssumeRolePolicyDocument
	LastUsed           time.Time        // zero when never used or unknown
	LastUsedRegion     string
	LastUsedKnown      bool // RoleLastUsed was present in the input
	MaxSessionDuration int
	InstanceProfiles   []string // instance profile ARNs
	ServiceLinked      bool     // path /aws-service-role/
}

// Group is an IAM group.
type Group struct {
	Name       string
	ID         string
	ARN        string
	Path       string
	CreateDate time.Time
	Inline     []*InlinePolicy
	Attached   []*Attachment
	Members    []*User
	Loc        policy.Location
}

// InlinePolicy is a policy embedded in a user, group or role.
type InlinePolicy struct {
	Name string
	Doc  *policy.Document
}

// Attachment is a managed policy attached to a principal or group, or a
// permissions boundary.
type Attachment struct {
	PolicyARN  string
	PolicyName string
	// Policy is the resolved managed policy; nil when the input does not
	// contain it (reported as a Problem: its permissions are not evaluated).
	Policy *ManagedPolicy
	// Loc is the attachment entry (or the PermissionsBoundary object) in
	// the input: where the account attaches the policy.
	Loc policy.Location
}

// ManagedPolicy is a customer managed or AWS managed policy.
type ManagedPolicy struct {
	ARN              string
	Name             string
	ID               string
	Path             string
	AWSManaged       bool // arn:aws:iam::aws:policy/...
	DefaultVersionID string
	Versions         []PolicyVersion
	Default          *policy.Document // the default version's document
	AttachmentCount  int
	AttachmentKnown  bool // AttachmentCount was present in the input
	IsAttachable     bool
	CreateDate       time.Time
	UpdateDate       time.Time
	// Embedded is true when the document came from iamscan's embedded
	// AWS managed policy set rather than the input.
	Embedded bool
	Loc      policy.Location
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	VersionID  string
	IsDefault  bool
	CreateDate time.Time
	Doc        *policy.Document
}

// StandalonePolicy is a bare policy document read from a file. A file
// that mixes trust statements with statements naming no Principal (AWS
// rejects such a document; the loader reports each statement that does
// not fit) gives two StandalonePolicy values of one Name, each with its
// share of the statements, so that each is checked as what it looks
// like.
type StandalonePolicy struct {
	Name string // the file name
	Doc  *policy.Document
	// Trust is true when the document looks like a trust policy (it has
	// sts:AssumeRole* actions and a Principal).
	Trust bool
}

// VirtualMFADevice is an entry of ListVirtualMFADevices. The root
// account's virtual device has SerialNumber ending in ":mfa/root-account-mfa-device"
// and UserARN "arn:aws:iam::ACCOUNT:root".
type VirtualMFADevice struct {
	SerialNumber string
	UserARN      string
	EnableDate   time.Time
}

// OIDCProvider is an IAM OpenID Connect identity provider.
type OIDCProvider struct {
	ARN        string
	URL        string
	ClientIDs  []string
	CreateDate time.Time
}

// SAMLProvider is an IAM SAML identity provider.
type SAMLProvider struct {
	ARN        string
	ValidUntil time.Time
	CreateDate time.Time
}

// ServerCertificate is an IAM server certificate's metadata.
type ServerCertificate struct {
	Name       string
	ARN        string
	Expiration time.Time
	UploadDate time.Time
	Loc        policy.Location // the certificate's entry in the input
}

// OrgPolicy is an AWS Organizations policy that applies to the account.
type OrgPolicy struct {
	ID   string
	ARN  string
	Name string
	Type string // "SERVICE_CONTROL_POLICY" or "RESOURCE_CONTROL_POLICY"
	Doc  *policy.Document
}
