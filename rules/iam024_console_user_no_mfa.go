package rules

import "github.com/iamscan/iamscan/snapshot"

// IAM024ConsoleUserNoMFA reports IAM users with a console password and no
// MFA device.
var IAM024ConsoleUserNoMFA = &Rule{
	Meta: Meta{
		ID:       "IAM024",
		Title:    "Console user without MFA",
		Severity: High,
		Family:   FamilyCredentials,
		Description: "An IAM user who can sign in to the console with only a password is one phished or reused " +
			"password away from compromise. Read from the credential report (password_enabled true, mfa_active " +
			"false); rows where either is undetermined are not reported.",
		Remediation: "Require the user to register an MFA device (or enforce it with a policy denying actions when " +
			"aws:MultiFactorAuthPresent is false), or remove the console password if the user does not need the " +
			"console. Better: move people to IAM Identity Center.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html",
		},
		CIS:    cis("1.10", "1.10", "1.9"),
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam024_console_user_no_mfa.go",
	},
	Check: func(p *Pass) error {
		for _, row := range userRows(p.Snapshot) {
			if row.PasswordEnabled == snapshot.True && row.MFAActive == snapshot.False {
				reportRow(p, row, "user "+row.User+" has a console password and no MFA")
			}
		}
		return nil
	},
}
