package snapshot

import (
	"time"

	"github.com/iamscan/iamscan/policy"
)

// CredentialReport is the parsed IAM credential report.
type CredentialReport struct {
	GeneratedTime time.Time // zero when unknown
	Rows          []*CredentialRow
	Root          *CredentialRow // the <root_account> row, nil when absent
	Loc           string         // the file it came from
}

// Tri is a value that the report may leave undetermined: N/A,
// no_information or not_supported.
type Tri uint8

const (
	Unknown Tri = iota // N/A, not_supported, no_information or missing
	False
	True
)

// Time is a report timestamp with why it may be absent.
type Time struct {
	T time.Time
	// Raw is the value as written when it is not a time ("N/A",
	// "no_information", "not_supported"); empty for a time.
	Raw string
}

// Valid reports whether the field held a timestamp.
func (t Time) Valid() bool { return !t.T.IsZero() }

// AccessKey is one of the two access key slots of a report row.
type AccessKey struct {
	Active          Tri
	LastRotated     Time
	LastUsed        Time
	LastUsedRegion  string
	LastUsedService string
}

// Cert is one of the two signing certificate slots.
type Cert struct {
	Active      Tri
	LastRotated Time
}

// CredentialRow is one line of the credential report.
type CredentialRow struct {
	User                 string
	ARN                  string
	UserCreationTime     Time
	PasswordEnabled      Tri
	PasswordLastUsed     Time
	PasswordLastChanged  Time
	PasswordNextRotation Time
	MFAActive            Tri
	AccessKeys           [2]AccessKey
	Certs                [2]Cert
	Line                 int // 1-based line in the CSV
	IsRoot               bool
	// Loc is the row in the input file: its whole line in a CSV file
	// (column 1 to the end of the row), its string in a raw document's
	// Lines, or the Content string of get-credential-report output.
	Loc policy.Location
}

// PasswordPolicy is the account password policy. Pointer fields are nil
// when the field is absent, which means "not set" (not zero or false).
type PasswordPolicy struct {
	MinimumPasswordLength      *int
	RequireSymbols             *bool
	RequireNumbers             *bool
	RequireUppercaseCharacters *bool
	RequireLowercaseCharacters *bool
	AllowUsersToChangePassword *bool
	ExpirePasswords            *bool
	MaxPasswordAge             *int
	PasswordReusePrevention    *int
	HardExpiry                 *bool
	Loc                        string          // the file it came from
	At                         policy.Location // the PasswordPolicy object in that file
}
