package rules

import (
	"strings"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM050TrustAnyPrincipal reports trust policies that let any AWS
// principal assume the role without a condition narrowing who the caller
// is.
var IAM050TrustAnyPrincipal = &Rule{
	Meta: Meta{
		ID:       "IAM050",
		Title:    "Trust policy lets any principal assume the role",
		Severity: Critical,
		Family:   FamilyTrust,
		Description: "A trust policy whose Allow statement names Principal \"*\", {\"AWS\": \"*\"} or an ARN with a " +
			"wildcard account (arn:aws:iam::*:root) lets anyone with an AWS account assume the role. It is " +
			"reported unless a condition narrows the caller: aws:PrincipalOrgID, aws:PrincipalOrgPaths, " +
			"aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, aws:SourceArn or aws:SourceOrgID " +
			"with a positive operator (StringEquals, StringLike, ArnEquals, ArnLike, without " +
			"IfExists) and a value that is not itself a wildcard (an ARN must name its account). This rule " +
			"reports such statements that have no condition at all; IAM051 reports those whose conditions " +
			"(transport, user agent, tags, IfExists variants, or only sts:ExternalId, which AWS says is not a " +
			"secret and which every caller chooses) do not narrow the caller, so each open statement " +
			"gets exactly one finding. Deny statements never fire.",
		Remediation: "Name the trusted accounts or roles in Principal, or add a condition such as " +
			"\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-xxxxxxxxxx\"}; for third parties, name their account " +
			"and require sts:ExternalId.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid",
		},
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam050_trust_any_principal.go",
	},
	Check: func(p *Pass) error {
		trustAllows(p, func(ref snapshot.PolicyRef, st *policy.Statement) {
			// With conditions that do not narrow the caller it is IAM051's.
			if !anyAWSPrincipal(st.Principal) || !assumesRole(st) || len(st.Condition) > 0 {
				return
			}
			p.ReportStatement(ref, st, ref.OwnerARN, describe(ref)+" lets any AWS principal assume the role")
		})
		return nil
	},
}

// anyAWSPrincipal reports whether a Principal element admits every AWS
// principal: "*", {"AWS": "*"}, or an AWS ARN whose account is a
// wildcard.
func anyAWSPrincipal(pr *policy.Principal) bool {
	if pr == nil || pr.Not {
		return false // NotPrincipal is IAM009's
	}
	if pr.Wildcard {
		return true
	}
	for _, a := range pr.AWS {
		if onlyStars(a) {
			return true
		}
		parts := strings.SplitN(a, ":", 6)
		if len(parts) == 6 && parts[0] == "arn" && strings.ContainsAny(parts[4], "*?") {
			return true
		}
	}
	return false
}

// assumesRole reports whether the statement allows one of the
// sts:AssumeRole* actions.
func assumesRole(st *policy.Statement) bool {
	for _, a := range []string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"} {
		if allowsAction(st, a) {
			return true
		}
	}
	return false
}

// callerKeys are the condition keys that identify who the caller is (or,
// for service callers, on whose behalf it acts). Lower-cased: condition
// keys are case-insensitive.
var callerKeys = map[string]bool{
	"aws:principalorgid":    true,
	"aws:principalorgpaths": true,
	"aws:principalaccount":  true,
	"aws:principalarn":      true,
	"aws:sourceaccount":     true,
	"aws:sourcearn":         true,
	"aws:sourceorgid":       true,
	// Not sts:ExternalId: the caller passes whatever external id it
	// likes, and AWS says the id is not a secret (it is shown to the
	// third party's users and logged). It stops a confused deputy, not
	// a stranger: with Principal "*" anyone who learns the id gets in.
}

// narrowsCaller reports whether any condition restricts the caller to
// named accounts, organizations or principals. All conditions of a
// statement must hold, so one narrowing condition is enough.
func narrowsCaller(conds []policy.Condition) bool {
	for _, c := range conds {
		if !callerKeys[strings.ToLower(c.Key)] || len(c.Values) == 0 {
			continue
		}
		op := strings.ToLower(c.Operator)
		if strings.HasSuffix(op, "ifexists") {
			continue // absent key passes: only as strong as the caller's request
		}
		if strings.HasPrefix(op, "forallvalues:") {
			continue // true when the key is absent (an empty set)
		}
		op = strings.TrimPrefix(op, "foranyvalue:")
		if op != "stringequals" && op != "stringlike" && op != "arnequals" && op != "arnlike" && op != "stringequalsignorecase" {
			continue
		}
		narrow := true
		for _, v := range c.Values {
			if !specificValue(strings.ToLower(c.Key), v) {
				narrow = false
				break
			}
		}
		if narrow {
			return true
		}
	}
	return false
}

// specificValue reports whether a condition value names something rather
// than matching everything: not a bare wildcard, account and organization
// ids without any wildcard and, for an ARN, with a
// literal account (S3 ARNs carry no account and are judged by their
// resource part).
func specificValue(key, v string) bool {
	if strings.Trim(v, "*?") == "" {
		return false
	}
	switch key {
	case "aws:principalorgid", "aws:sourceorgid", "aws:principalaccount", "aws:sourceaccount":
		// A wildcard anywhere ("o-*", "1111*") admits other
		// organizations or accounts.
		return !strings.ContainsAny(v, "*?")
	case "aws:principalorgpaths":
		org, _, _ := strings.Cut(v, "/")
		return !strings.ContainsAny(org, "*?")
	}
	if key != "aws:principalarn" && key != "aws:sourcearn" {
		return true
	}
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 {
		return false
	}
	if parts[4] == "" {
		return strings.Trim(parts[5], "*?/") != ""
	}
	return !strings.ContainsAny(parts[4], "*?")
}
