package rules

import (
	"strconv"

	"github.com/iamscan/iamscan/snapshot"
)

// IAM026UnusedCredentials reports passwords and active access keys not
// used for N days.
var IAM026UnusedCredentials = &Rule{
	Meta: Meta{
		ID:       "IAM026",
		Title:    "Credentials unused for N days",
		Severity: Medium,
		Family:   FamilyCredentials,
		Description: "A console password or active access key nobody has used for N days (default 45) is an " +
			"attack surface without a purpose: its owner may have left, and misuse would go unnoticed. A " +
			"credential counts as unused when its last use lies more than N days before the as-of date, or when " +
			"it was never used and was set (password last changed, key last rotated) more than N days ago. " +
			"Undetermined values (not_supported, missing) are not reported.",
		Remediation: "Deactivate the access key or remove the console password (aws iam delete-login-profile). " +
			"Delete the user if nobody needs it.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
		},
		CIS:    cis("1.12", "1.12", "1.11"),
		Params: []Param{{Name: "days", Doc: "credentials unused for more than this many days are reported", Default: 45}},
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam026_unused_credentials.go",
	},
	Check: func(p *Pass) error {
		days := p.Days("days")
		for _, row := range userRows(p.Snapshot) {
			if row.PasswordEnabled == snapshot.True {
				set := row.PasswordLastChanged
				if !set.Valid() {
					set = row.UserCreationTime
				}
				if unused(row.PasswordLastUsed, set, p, days) {
					reportRow(p, row, "console password of user "+row.User+" unused for "+strconv.Itoa(days)+" days")
				}
			}
			for i, k := range row.AccessKeys {
				if k.Active == snapshot.True && unused(k.LastUsed, k.LastRotated, p, days) {
					reportRow(p, row, "access key "+strconv.Itoa(i+1)+" of user "+row.User+" unused for "+strconv.Itoa(days)+" days")
				}
			}
		}
		return nil
	},
}

// unused reports whether a credential last used at lastUsed (or never)
// and set at set has gone unused for more than days.
func unused(lastUsed, set snapshot.Time, p *Pass, days int) bool {
	if lastUsed.Valid() {
		return olderThan(lastUsed, p.AsOf, days)
	}
	return neverUsed(lastUsed) && olderThan(set, p.AsOf, days)
}
