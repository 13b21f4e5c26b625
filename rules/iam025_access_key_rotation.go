package rules

import (
	"strconv"

	"github.com/iamscan/iamscan/snapshot"
)

// IAM025AccessKeyRotation reports active access keys older than N days.
var IAM025AccessKeyRotation = &Rule{
	Meta: Meta{
		ID:       "IAM025",
		Title:    "Active access key not rotated",
		Severity: Medium,
		Family:   FamilyCredentials,
		Description: "Long-lived access keys leak through laptops, CI logs and source code; the longer a key lives, " +
			"the more copies of it exist. An active IAM user key whose last rotation lies more than N days " +
			"(default 90) before the as-of date is reported. Root keys are IAM020's.",
		Remediation: "Create a second key, deploy it, deactivate the old key, watch for failures, then delete it. " +
			"Prefer roles with temporary credentials (IAM Roles Anywhere, OIDC federation) over user keys.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console",
		},
		CIS:    cis("1.14", "1.14", "1.13"),
		Params: []Param{{Name: "days", Doc: "maximum age of an active access key, in days", Default: 90}},
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam025_access_key_rotation.go",
	},
	Check: func(p *Pass) error {
		days := p.Days("days")
		for _, row := range userRows(p.Snapshot) {
			for i, k := range row.AccessKeys {
				if k.Active == snapshot.True && olderThan(k.LastRotated, p.AsOf, days) {
					reportRow(p, row, "access key "+strconv.Itoa(i+1)+" of user "+row.User+" not rotated in "+strconv.Itoa(days)+" days")
				}
			}
		}
		return nil
	},
}
