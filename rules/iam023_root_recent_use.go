package rules

import (
	"strconv"

	"github.com/iamscan/iamscan/snapshot"
)

// IAM023RootRecentUse reports root credentials used within N days.
var IAM023RootRecentUse = &Rule{
	Meta: Meta{
		ID:       "IAM023",
		Title:    "Root user signed in or used an access key recently",
		Severity: High,
		Family:   FamilyCredentials,
		Description: "The root user should be used only for the few tasks that require it. A root password or " +
			"access key used within the last N days (default 90, counted back from the scan's as-of date) points " +
			"at routine root use, which bypasses every IAM control and most of the audit trail's attribution.",
		Remediation: "Find out who used root and why (CloudTrail events with userIdentity.type Root); move that " +
			"work to an IAM Identity Center role, delete root access keys, and lock the root password and MFA " +
			"device away.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#root-user-tasks",
		},
		CIS:    cis("1.7", "1.7", "1.6"),
		Params: []Param{{Name: "days", Doc: "root use within this many days of the as-of date is reported", Default: 90}},
		Needs:  []snapshot.Data{snapshot.DataCredentialReport},
		Source: "rules/iam023_root_recent_use.go",
	},
	Check: func(p *Pass) error {
		root := p.Snapshot.CredentialReport.Root
		if root == nil {
			return nil
		}
		days := p.Days("days")
		in := " within " + strconv.Itoa(days) + " days"
		if within(root.PasswordLastUsed, p.AsOf, days) {
			reportRow(p, root, "root user password used"+in)
		}
		for i, k := range root.AccessKeys {
			if within(k.LastUsed, p.AsOf, days) {
				reportRow(p, root, "root user access key "+strconv.Itoa(i+1)+" used"+in)
			}
		}
		return nil
	},
}
