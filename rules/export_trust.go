package rules

import "github.com/iamscan/iamscan/policy"

// These wrappers let the Rego engine give its trust rules the Go rules'
// judgement of principals and conditions, so that IAM050 (Go) and IAM051
// (Rego) can never disagree on what "any principal" or "a narrowing
// condition" means.

// AnyAWSPrincipal reports whether a Principal element admits every AWS
// principal ("*", {"AWS": "*"}, an ARN with a wildcard account).
func AnyAWSPrincipal(p *policy.Principal) bool { return anyAWSPrincipal(p) }

// NarrowsCaller reports whether some condition restricts the caller to
// named accounts, organizations or principals.
func NarrowsCaller(conds []policy.Condition) bool { return narrowsCaller(conds) }
