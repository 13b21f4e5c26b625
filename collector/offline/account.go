package offline

import (
	"bytes"
	"fmt"
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
	if v.Kind == jsonpos.Null {
		r.l.setPasswordPolicy(nil, r.at(v))
		return
	}
	r.l.snap.Present[snapshot.DataPasswordPolicy] = true
	if !r.object(v, "PasswordPolicy") {
		// Unread, it says nothing: not "no policy", which would fire
		// IAM034.
		r.l.unreadable(snapshot.DataPasswordPolicy, r.at(v))
		return
	}
	pp := &snapshot.PasswordPolicy{Loc: r.src.Name, At: r.at(v)}
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
	r.l.setPasswordPolicy(pp, r.at(v))
}

// setPasswordPolicy records the account's password policy, nil for none.
// Two inputs may disagree (a policy and "no policy", collected at
// different times): the last one read is kept, and the clash reported.
func (l *loader) setPasswordPolicy(pp *snapshot.PasswordPolicy, at policy.Location) {
	if prev := l.passwordPolicyAt; prev.File != "" {
		l.problem(at, "a second password policy input (the first is at %s); the last one read is kept", prev)
	}
	l.passwordPolicyAt = at
	l.snap.Present[snapshot.DataPasswordPolicy] = true
	l.snap.PasswordPolicy = pp
}

// cliErrorPrefix starts what the AWS CLI writes to stderr when a call
// fails:
//
//	An error occurred (CODE) when calling the OPERATION operation: MESSAGE
//
// Saved with 2>&1, it is the whole content of the output file.
const cliErrorPrefix = "An error occurred ("

// cliError reads a file of AWS CLI error output, starting at off. One
// error is data: NoSuchEntity from GetAccountPasswordPolicy says the
// account has no password policy, the usual case that
// `aws iam get-account-password-policy > password-policy.json 2>&1`
// records. Any other failed call is an error saying which call failed
// and why, since the data it was to fetch is not there.
func (l *loader) cliError(src *policy.Source, off int) (string, error) {
	text := src.Data[off:]
	first, rest, _ := bytes.Cut(text, []byte("\n"))
	first = bytes.TrimRight(first, " \t\r")
	loc := src.Span(off, off+len(first))
	code, op, msg, ok := parseCLIError(string(first))
	if !ok {
		return "", &InputError{Loc: loc, Msg: "not a recognized input: this looks like AWS CLI error output but is not in its form (An error occurred (CODE) when calling the OPERATION operation: MESSAGE)"}
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return "", &InputError{Loc: loc, Msg: "AWS CLI error output followed by other text; save the command's output alone"}
	}
	if code == "NoSuchEntity" && op == "GetAccountPasswordPolicy" {
		l.setPasswordPolicy(nil, loc)
		return KindPasswordPolicy, nil
	}
	return "", &InputError{Loc: loc, Msg: fmt.Sprintf("this is AWS CLI error output, not data: %s failed with %s (%s); fix the call and save its output again, or leave the file out", op, code, msg)}
}

// parseCLIError splits one line of AWS CLI error output. The CLI may put
// a retry note after the operation: "... operation (reached max
// retries: 4): Rate exceeded".
func parseCLIError(line string) (code, op, msg string, ok bool) {
	rest, ok := strings.CutPrefix(line, cliErrorPrefix)
	if !ok {
		return "", "", "", false
	}
	code, rest, ok = strings.Cut(rest, ") when calling the ")
	if !ok || code == "" || strings.ContainsAny(code, " ()") {
		return "", "", "", false
	}
	op, rest, ok = strings.Cut(rest, " operation")
	if !ok || op == "" || strings.ContainsRune(op, ' ') {
		return "", "", "", false
	}
	if strings.HasPrefix(rest, " (") {
		if i := strings.IndexByte(rest, ')'); i >= 0 {
			rest = rest[i+1:]
		}
	}
	msg, _ = strings.CutPrefix(rest, ": ")
	return code, op, msg, true
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
	if v.Kind == jsonpos.Null {
		return
	}
	if !r.object(v, "SummaryMap") {
		r.l.unreadable(snapshot.DataAccountSummary, r.at(v))
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
	r.l.snap.Standalone = append(r.l.snap.Standalone, r.l.standaloneParts(r.src.Name, d)...)
}

// standaloneParts sorts a bare document's statements by what they look
// like. Identity policies may not name a Principal; resource and trust
// policies must name one in every statement; AWS rejects a document
// that mixes the two. iamscan reads it all the same, so that nothing in
// it goes unchecked: the document's kind is that of most of its
// statements (of the first one on a tie), each statement of the other
// kind is reported where it stands, and each is checked as what it
// looks like. When a trust policy's statements sit beside statements
// without a Principal, the file gives two documents of one name, its
// trust statements and the others: the rules check the statements of a
// trust policy as trust statements only.
func (l *loader) standaloneParts(name string, d *policy.Document) []*snapshot.StandalonePolicy {
	var named, unnamed []*policy.Statement
	for _, st := range d.Statements {
		if st.Principal != nil {
			named = append(named, st)
		} else {
			unnamed = append(unnamed, st)
		}
	}
	if len(named) == 0 || len(unnamed) == 0 {
		return []*snapshot.StandalonePolicy{{Name: name, Doc: d, Trust: looksLikeTrust(d)}}
	}
	trust := looksLikeTrust(&policy.Document{Statements: named})
	resourceKind := len(named) > len(unnamed) || (len(named) == len(unnamed) && d.Statements[0].Principal != nil)
	what := "a resource policy"
	if trust {
		what = "a trust policy"
	}
	if resourceKind {
		for _, st := range unnamed {
			l.problem(st.Loc, "policy document: %s has no Principal, which every statement of %s needs (the other statements make the document one; AWS rejects it); it is checked as an identity policy statement", stmtName(st), what)
		}
	} else {
		checked := "it is checked as a trust policy statement"
		if !trust {
			checked = "it is read as a resource policy statement, which the identity policy rules do not check"
		}
		for _, st := range named {
			l.problem(st.Loc, "policy document: %s has a Principal, which an identity policy may not have (the other statements make the document one; AWS rejects it); %s", stmtName(st), checked)
		}
	}
	if !trust {
		// Statements are checked one by one as identity statements when
		// they name no Principal; nothing needs splitting.
		return []*snapshot.StandalonePolicy{{Name: name, Doc: d}}
	}
	trustDoc, identityDoc := *d, *d
	trustDoc.Statements, identityDoc.Statements = named, unnamed
	parts := []*snapshot.StandalonePolicy{{Name: name, Doc: &trustDoc, Trust: true}, {Name: name, Doc: &identityDoc}}
	// The document's own problems stay with the part of its kind, once.
	if resourceKind {
		identityDoc.Problems = nil
	} else {
		trustDoc.Problems = nil
		parts[0], parts[1] = parts[1], parts[0]
	}
	return parts
}

// stmtName names a statement in a message: its index, and its Sid when
// it has one.
func stmtName(st *policy.Statement) string {
	if st.Sid != "" {
		return fmt.Sprintf("statement %d (Sid %q)", st.Index, st.Sid)
	}
	return fmt.Sprintf("statement %d", st.Index)
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
