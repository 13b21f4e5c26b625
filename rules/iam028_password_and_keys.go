package rules

import "github.com/iamscan/iamscan/snapshot"

// IAM028PasswordAndKeys reports users with both a console password and an
// active access key.
var IAM028PasswordAndKeys = &Rule{
	Meta: Meta{
		ID:       "IAM028",
		Title:    "User has both a console password and an active access key",
		Severity: Low,
		Family:   FamilyCredentials,
		Description: "A user that is both a person (console password) and a program (access key) mixes two risk " +
			"profiles: the key usually ends up on the person's laptop with the person's permissions. Separate " +
			"identities make ownership, rotation and least privilege manageable.",
		Remediation: "Give the program its own role (or, failing that, its own user without a console password) " +
			"and delete the person's access key; or remove the console password from the service user.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp",
		},
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam028_password_and_keys.go",
	},
	Check: func(p *Pass) error {
		for _, row := range userRows(p.Snapshot) {
			if row.PasswordEnabled == snapshot.True && (row.AccessKeys[0].Active == snapshot.True || row.AccessKeys[1].Active == snapshot.True) {
				reportRow(p, row, "user "+row.User+" has both a console password and an active access key")
			}
		}
		return nil
	},
}
