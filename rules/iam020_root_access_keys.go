package rules

import (
	"strconv"

	"github.com/iamscan/iamscan/snapshot"
)

// IAM020RootAccessKeys reports active access keys of the root user.
var IAM020RootAccessKeys = &Rule{
	Meta: Meta{
		ID:       "IAM020",
		Title:    "Root user has an active access key",
		Severity: Critical,
		Family:   FamilyCredentials,
		Description: "An access key of the root user gives unrestricted, unconditionable programmatic access to the " +
			"whole account, cannot be limited by IAM policies or permissions boundaries, and is easily leaked " +
			"from scripts and CI. Read from the credential report's <root_account> row; an unknown status is not " +
			"reported.",
		Remediation: "Sign in as root, open Security credentials, deactivate and then delete each access key. Use " +
			"IAM roles (through IAM Identity Center) for automation instead.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
		},
		CIS:    cis("1.4", "1.4", "1.3"),
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam020_root_access_keys.go",
	},
	Check: func(p *Pass) error {
		root := p.Snapshot.CredentialReport.Root
		if root == nil {
			return nil
		}
		for i, k := range root.AccessKeys {
			if k.Active == snapshot.True {
				reportRow(p, root, "root user has active access key "+strconv.Itoa(i+1))
			}
		}
		return nil
	},
}
