package rules

import (
	"fmt"

	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM090ManagedPolicyDrift reports AWS managed policies whose copy in the
// input differs from the default version iamscan embeds.
var IAM090ManagedPolicyDrift = &Rule{
	Meta: Meta{
		ID:       "IAM090",
		Title:    "AWS managed policy differs from iamscan's embedded version",
		Severity: Info,
		Family:   FamilyInput,
		Description: "iamscan embeds the current default version of every AWS managed policy, to resolve attachments " +
			"that an input leaves out. When the input carries its own copy, that copy is what the scan evaluates; " +
			"this finding says it differs from the embedded one: either AWS has published a version newer than " +
			"iamscan's data, or the input is older than it (an archived dump), or iamscan's data is behind. " +
			"Results that rely on embedded AWS managed policies may then not match the account exactly.",
		Remediation: "Compare the two version ids in the message. If the account's is older, the dump predates the " +
			"current AWS version and nothing needs fixing in the account; if it is newer, update iamscan (its " +
			"embedded data version is printed by `iamscan version`).",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies",
		},
		Needs:  []snapshot.Data{snapshot.DataAuthorizationDetails},
		Source: "rules/iam090_managed_policy_drift.go",
	},
	Check: func(p *Pass) error {
		for _, mp := range p.Snapshot.Policies {
			embedded, differ := awsmanaged.Drift(mp)
			if !differ {
				continue
			}
			var msg string
			if mp.DefaultVersionID == embedded.VersionID {
				msg = fmt.Sprintf("AWS managed policy %s: the input's version %s has a different document than iamscan's embedded version %s",
					mp.Name, mp.DefaultVersionID, embedded.VersionID)
			} else {
				msg = fmt.Sprintf("AWS managed policy %s: the input has version %s, iamscan's embedded data has version %s",
					mp.Name, versionOrUnknown(mp.DefaultVersionID), embedded.VersionID)
			}
			p.Report(Finding{Resource: mp.ARN, Policy: mp.ARN, Location: mp.Loc, Message: msg})
		}
		return nil
	},
}

func versionOrUnknown(v string) string {
	if v == "" {
		return "(unknown)"
	}
	return v
}
