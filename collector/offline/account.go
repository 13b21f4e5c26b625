package offline

import (
	"strings"

	"github.com/iamscan/iamscan/jsonpos"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// passwordPolicyOutput reads `aws iam get-account-password-policy`
// output: {"PasswordPolicy": {...}}.
func (r *reader) passwordPolicyOutput(v *jsonpos.Value) {
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "PasswordPolicy":
			r.passwordPolicy(&m.Value)
		default:
			r.unknown(m, "get-account-password-policy output")
		}
	}
}

// passwordPolicy reads the PasswordPolicy object; null means the account
// has none (the API's NoSuchEntity), which is data too.
func (r *reader) passwordPolicy(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataPasswordPolicy] = true
	if v.Kind == jsonpos.Null {
		r.l.snap.PasswordPolicy = nil
		return
	}
	if !r.object(v, "PasswordPolicy") {
		return
	}
	pp := &snapshot.PasswordPolicy{Loc: r.src.Name}
	intField := func(v *jsonpos.Value, what string) *int {
		if n, ok := r.integer(v, what); ok {
			i := int(n)
			return &i
		}
		return nil
	}
	boolField := func(v *jsonpos.Value, what string) *bool {
		if b, ok := r.boolean(v, what); ok {
			return &b
		}
		return nil
	}
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "MinimumPasswordLength":
			pp.MinimumPasswordLength = intField(&m.Value, m.Key)
		case "MaxPasswordAge":
			pp.MaxPasswordAge = intField(&m.Value, m.Key)
		case "PasswordReusePrevention":
			pp.PasswordReusePrevention = intField(&m.Value, m.Key)
		case "RequireSymbols":
			pp.RequireSymbols = boolField(&m.Value, m.Key)
		case "RequireNumbers":
			pp.RequireNumbers = boolField(&m.Value, m.Key)
		case "RequireUppercaseCharacters":
			pp.RequireUppercaseCharacters = boolField(&m.Value, m.Key)
		case "RequireLowercaseCharacters":
			pp.RequireLowercaseCharacters = boolField(&m.Value, m.Key)
		case "AllowUsersToChangePassword":
			pp.AllowUsersToChangePassword = boolField(&m.Value, m.Key)
		case "ExpirePasswords":
			pp.ExpirePasswords = boolField(&m.Value, m.Key)
		case "HardExpiry":
			pp.HardExpiry = boolField(&m.Value, m.Key)
		default:
			r.unknown(m, "PasswordPolicy")
		}
	}
	if r.l.snap.PasswordPolicy != nil {
		r.problem(v, "a second password policy was given (the first came from %s); the last one read is kept", r.l.snap.PasswordPolicy.Loc)
	}
	r.l.snap.PasswordPolicy = pp
}

// accountSummaryOutput reads `aws iam get-account-summary` output.
func (r *reader) accountSummaryOutput(v *jsonpos.Value) {
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "SummaryMap":
			r.summaryMap(&m.Value)
		default:
			r.unknown(m, "get-account-summary output")
		}
	}
}

func (r *reader) summaryMap(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataAccountSummary] = true
	if v.Kind == jsonpos.Null || !r.object(v, "SummaryMap") {
		return
	}
	if r.l.snap.AccountSummary == nil {
		r.l.snap.AccountSummary = make(map[string]int64, len(v.Members))
	}
	for i := range v.Members {
		m := &v.Members[i]
		if n, ok := r.integer(&m.Value, "SummaryMap."+m.Key); ok {
			r.l.snap.AccountSummary[m.Key] = n
		}
	}
}

// standalone reads a bare policy document file.
func (r *reader) standalone(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataPolicyDocuments] = true
	d := r.doc(v, "policy document")
	r.l.snap.Standalone = append(r.l.snap.Standalone, &snapshot.StandalonePolicy{
		Name:  r.src.Name,
		Doc:   d,
		Trust: looksLikeTrust(d),
	})
}

// looksLikeTrust tells a trust policy from other resource policies: it
// names principals and lets them assume a role.
func looksLikeTrust(d *policy.Document) bool {
	const assume = "sts:AssumeRole" // also ...WithSAML, ...WithWebIdentity
	for _, s := range d.Statements {
		if s.Principal == nil || s.Action.Not {
			continue
		}
		for _, a := range s.Action.List {
			if (len(a) >= len(assume) && strings.EqualFold(a[:len(assume)], assume)) || strings.EqualFold(a, "sts:*") {
				return true
			}
		}
	}
	return false
}
