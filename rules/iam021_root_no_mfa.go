package rules

import "github.com/iamscan/iamscan/snapshot"

// IAM021RootNoMFA reports a root user without MFA.
var IAM021RootNoMFA = &Rule{
	Meta: Meta{
		ID:       "IAM021",
		Title:    "Root user has no MFA",
		Severity: Critical,
		Family:   FamilyCredentials,
		Description: "Without multi-factor authentication, the root user's password alone opens the whole account, " +
			"including closing it and changing its contact details. Read from the credential report's " +
			"<root_account> row (mfa_active); an undetermined value is not reported.",
		Remediation: "Sign in as root, open Security credentials and assign an MFA device (a FIDO security key or " +
			"hardware TOTP token is preferred; see IAM022).",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
		},
		CIS:    cis("1.5", "1.5", "1.4"),
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam021_root_no_mfa.go",
	},
	Check: func(p *Pass) error {
		if root := p.Snapshot.CredentialReport.Root; root != nil && root.MFAActive == snapshot.False {
			reportRow(p, root, "root user has no MFA device")
		}
		return nil
	},
}
