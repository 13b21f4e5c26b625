package rules

import "sync"

var markEngine sync.Once

// Builtin returns the built-in Go rules, in id order. The list is explicit
// (no init side effects): adding a rule means adding it here.
func Builtin() []*Rule {
	rs := []*Rule{
		IAM001FullAdmin,
		IAM002ServiceWildcard,
		IAM003AllowNotAction,
		IAM004AllowNotResource,
		IAM005WriteOnAnyResource,
		IAM006PassRoleAny,
		IAM007AssumeRoleAny,
		IAM008AWSFullAccess,
		IAM009AllowNotPrincipal,
		IAM010EffectiveAdmin,
		IAM011PrivilegeEscalation,
		IAM012UnattachedFullAdmin,
		IAM020RootAccessKeys,
		IAM021RootNoMFA,
		IAM022RootVirtualMFA,
		IAM023RootRecentUse,
		IAM024ConsoleUserNoMFA,
		IAM025AccessKeyRotation,
		IAM026UnusedCredentials,
		IAM027MultipleAccessKeys,
		IAM028PasswordAndKeys,
		IAM029InitialAccessKey,
		IAM030UserDirectPolicies,
		IAM033ExpiredServerCertificate,
		IAM040UnusedRole,
		IAM041UnattachedPolicy,
		IAM043ConsoleUserNeverSignedIn,
		IAM050TrustAnyPrincipal,
		IAM090ManagedPolicyDrift,
		IAM091InputProblems,
	}
	markEngine.Do(func() {
		for _, r := range rs {
			r.Engine = "go"
		}
	})
	return rs
}
