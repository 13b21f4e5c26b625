package rules

import (
	"strconv"
	"time"

	"github.com/iamscan/iamscan/snapshot"
)

// IAM040UnusedRole reports roles not used for N days, or never used and
// older than N days.
var IAM040UnusedRole = &Rule{
	Meta: Meta{
		ID:       "IAM040",
		Title:    "Role unused for N days",
		Severity: Medium,
		Family:   FamilyUnused,
		Description: "A role nobody assumes keeps its permissions and its trust policy: an unused door into the " +
			"account. A role is reported when RoleLastUsed lies more than N days (default 90) before the as-of " +
			"date, or when it was never used and was created more than N days before it. Service-linked roles " +
			"(path /aws-service-role/) are exempt: AWS manages them. Roles whose last use the input does not " +
			"state are not reported. IAM tracks last use for 400 days.",
		Remediation: "Confirm with the owner (tags, CloudTrail) that the role is not needed, then delete it (detach " +
			"its policies and remove it from instance profiles first). For rarely used break-glass roles, " +
			"suppress the finding with a reason.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html",
		},
		Params: []Param{{Name: "days", Doc: "roles not used for more than this many days are reported", Default: 90}},
		Needs:  []snapshot.Data{snapshot.DataAuthorizationDetails},
		Source: "rules/iam040_unused_role.go",
	},
	Check: func(p *Pass) error {
		days := p.Days("days")
		limit := time.Duration(days) * 24 * time.Hour
		n := strconv.Itoa(days)
		for _, r := range p.Snapshot.Roles {
			if r.ServiceLinked || !r.LastUsedKnown {
				continue
			}
			var msg string
			switch {
			case !r.LastUsed.IsZero():
				if p.AsOf.Sub(r.LastUsed) <= limit {
					continue
				}
				msg = "role " + r.Name + " not used in " + n + " days"
			case !r.CreateDate.IsZero() && p.AsOf.Sub(r.CreateDate) > limit:
				msg = "role " + r.Name + " never used and older than " + n + " days"
			default:
				continue
			}
			p.Report(Finding{Resource: r.ARN, Principal: r.ARN, Location: r.Loc, Message: msg})
		}
		return nil
	},
}
