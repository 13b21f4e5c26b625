package rules

import "github.com/iamscan/iamscan/snapshot"

// IAM027MultipleAccessKeys reports users with two active access keys.
var IAM027MultipleAccessKeys = &Rule{
	Meta: Meta{
		ID:       "IAM027",
		Title:    "User has more than one active access key",
		Severity: Low,
		Family:   FamilyCredentials,
		Description: "Two active keys are normal for the minutes of a rotation; kept longer, they usually mean the " +
			"old key was never retired and is still deployed somewhere nobody tracks.",
		Remediation: "Find which key is in use (access_key_N_last_used_date), switch the remaining callers to it, " +
			"then deactivate and delete the other.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
		},
		CIS:    cis("1.13", "1.13", "1.12"),
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam027_multiple_access_keys.go",
	},
	Check: func(p *Pass) error {
		for _, row := range userRows(p.Snapshot) {
			if row.AccessKeys[0].Active == snapshot.True && row.AccessKeys[1].Active == snapshot.True {
				reportRow(p, row, "user "+row.User+" has two active access keys")
			}
		}
		return nil
	},
}
