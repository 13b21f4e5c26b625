package rules

import (
	"strconv"
	"time"

	"github.com/iamscan/iamscan/snapshot"
)

// initialKeyWindow is how soon after the user's creation a key counts as
// "created with the user": the console and most provisioning scripts
// create both within seconds; ten minutes leaves room for slow pipelines
// without catching keys added later on purpose.
const initialKeyWindow = 10 * time.Minute

// IAM029InitialAccessKey reports access keys created together with a
// console user and never used.
var IAM029InitialAccessKey = &Rule{
	Meta: Meta{
		ID:       "IAM029",
		Title:    "Access key created with the user and never used",
		Severity: Low,
		Family:   FamilyCredentials,
		Description: "A user with a console password whose access key was created at user creation (within ten " +
			"minutes of it, by last-rotated date) and never used was handed the key by default rather than " +
			"because a program needed it. Such keys pile up in onboarding e-mails and password managers. As in " +
			"the CIS control, only users with a console password are reported: creating the key with the user is " +
			"how a programmatic (service) user is provisioned, and a key that then stays unused is reported by " +
			"IAM026 once it passes its threshold. Keys whose last use is undetermined are not reported.",
		Remediation: "Delete the key. Create access keys only when a program needs one, and prefer roles.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
		},
		CIS:    cis("1.11", "1.11", "1.10"),
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam029_initial_access_key.go",
	},
	Check: func(p *Pass) error {
		for _, row := range userRows(p.Snapshot) {
			if row.PasswordEnabled != snapshot.True || !row.UserCreationTime.Valid() {
				continue // CIS: "IAM users that have a console password"
			}
			for i, k := range row.AccessKeys {
				if k.Active != snapshot.True || !k.LastRotated.Valid() || !neverUsed(k.LastUsed) {
					continue
				}
				if d := k.LastRotated.T.Sub(row.UserCreationTime.T); d >= 0 && d <= initialKeyWindow {
					reportRow(p, row, "access key "+strconv.Itoa(i+1)+" of user "+row.User+" was created with the user and never used")
				}
			}
		}
		return nil
	},
}
