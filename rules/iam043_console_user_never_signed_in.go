package rules

import (
	"strconv"

	"github.com/iamscan/iamscan/snapshot"
)

// IAM043ConsoleUserNeverSignedIn reports users with a console password who
// never signed in and were created more than N days ago.
var IAM043ConsoleUserNeverSignedIn = &Rule{
	Meta: Meta{
		ID:       "IAM043",
		Title:    "Console user never signed in",
		Severity: Low,
		Family:   FamilyUnused,
		Description: "A user given a console password who has never signed in, long after creation, is usually an " +
			"account created for someone who never needed it, or whose initial password still sits in an e-mail. " +
			"Read from the credential report: password_enabled true, password_last_used no_information, and " +
			"user_creation_time more than N days (default 90) before the as-of date.",
		Remediation: "Remove the console password (aws iam delete-login-profile) or delete the user; if the person " +
			"does need access, have them sign in and set up MFA.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
		},
		Params: []Param{{Name: "days", Doc: "users created more than this many days ago are reported", Default: 90}},
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam043_console_user_never_signed_in.go",
	},
	Check: func(p *Pass) error {
		days := p.Days("days")
		for _, row := range userRows(p.Snapshot) {
			if row.PasswordEnabled == snapshot.True && row.PasswordLastUsed.Raw == "no_information" && olderThan(row.UserCreationTime, p.AsOf, days) {
				reportRow(p, row, "user "+row.User+" has a console password, never signed in and is older than "+strconv.Itoa(days)+" days")
			}
		}
		return nil
	},
}
