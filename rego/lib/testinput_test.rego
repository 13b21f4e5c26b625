# Builders for the inputs of the built-in rules' unit tests. The shapes
# follow the input the Go side builds (rego/input.go); the Go test
# TestInputShape checks that both agree on the keys.
package iamscan.lib.testinput

account := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root", "ref": 0, "password_policy_ref": 1}

no_principal := {"not": false, "wildcard": false, "aws": [], "service": [], "federated": [], "canonical_user": []}

anyone := object.union(no_principal, {"wildcard": true})

aws(list) := object.union(no_principal, {"aws": list})

service(list) := object.union(no_principal, {"service": list})

federated(list) := object.union(no_principal, {"federated": list})

cond(op, key, values) := {"operator": op, "key": key, "key_lower": lower(key), "values": values}

# statement builds a trust statement. any_principal and narrows_caller
# are computed by Go in real inputs; tests give them explicitly with
# object.union when a rule depends on them.
statement(action, principal, conditions) := {
	"index": 0, "sid": "", "effect": "Allow",
	"actions": [action], "not_actions": false,
	"principal": principal, "conditions": conditions, "ref": 7,
	"any_principal": principal.wildcard, "narrows_caller": false,
	"allows": {action: true}, "principal_accounts": accounts(principal),
}

# accounts mimics the Go side's principal_accounts for test principals.
accounts(principal) := sort({acct |
	some p in principal.aws
	not contains(p, "*")
	acct := account_of(p)
})

account_of(p) := p if not startswith(p, "arn:")

account_of(p) := split(p, ":")[4] if startswith(p, "arn:")

role(name, statements) := {
	"name": name, "arn": sprintf("arn:aws:iam::111122223333:role/%s", [name]),
	"path": "/", "account": "111122223333", "service_linked": false, "file": false,
	"attached": [], "attached_arns": [], "inline": 0,
	"trust": statements, "ref": 3,
}

# trust_file builds the stand-in of a standalone trust policy file, as
# the trust index holds it (account "" when the scan does not know it).
trust_file(name, account, statements) := object.union(role(name, statements), {
	"arn": "", "path": "", "account": account, "file": true,
})

# with_trust builds an input with one role whose trust policy has one
# statement, and the given rule parameters.
with_trust(st, params) := with_roles([role("app", [st])], params)

# with_roles builds an input with the given roles. The trust index files
# every statement under every kind: the index is only a pre-filter, and
# rules must not rely on it for their conditions.
with_roles(roles, params) := {
	"account": account, "roles": roles, "groups": [], "users": [], "params": params,
	"trust": {kind: entries |
		some kind in ["any_principal", "cross_account", "web_identity", "saml", "service"]
		entries := [{"role": r, "statement": st} | some r in roles; some st in r.trust]
	},
}

# with_trust_file builds an input whose trust index holds the statements
# of one standalone trust policy file (and no role).
with_trust_file(file, params) := {
	"account": account, "roles": [], "groups": [], "users": [], "params": params,
	"trust": {kind: entries |
		some kind in ["any_principal", "cross_account", "web_identity", "saml", "service"]
		entries := [{"role": file, "statement": st} | some st in file.trust]
	},
}
