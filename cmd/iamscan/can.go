package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/iamscan/iamscan/access"
	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/policy"
)

// listFlag collects a repeated string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runCan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("can", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: iamscan can -i INPUT [-i INPUT...] [--context KEY=VALUE...] PRINCIPAL ACTION [RESOURCE]

Evaluates one request the way AWS does: explicit denies, SCPs and RCPs in
the input, the permissions boundary, then identity-based policies.
PRINCIPAL is an ARN, user/NAME or role/NAME; RESOURCE defaults to "*".
When RESOURCE is a role of the input and ACTION an sts: action
(sts:AssumeRole...), the role's trust policy takes part as the
resource-based policy, and it must allow even within the account.
A resource in another account (from --resource-account or the RESOURCE
ARN) needs an allow in both the identity and the resource-based policy
(--resource-policy). SCPs in the input do not apply to service-linked
roles.
Prints allowed, denied or conditional on the first line, then the
statements that decided. Condition keys not given with --context are
unknown (except aws:CurrentTime and aws:EpochTime, which default to now):
a condition on them makes the answer conditional.

Exit status: 0 allowed, 1 denied or conditional, 2 usage or input error.

flags:
`)
		fs.PrintDefaults()
	}
	var inputs, contexts, resourcePolicies, sessionPolicies listFlag
	fs.Var(&inputs, "i", "input file or directory (repeatable)")
	fs.Var(&resourcePolicies, "resource-policy", "file holding the resource's resource-based policy, e.g. a bucket policy (repeatable)")
	fs.Var(&sessionPolicies, "session-policy", "file holding a session policy passed when the role was assumed (repeatable)")
	fs.Var(&contexts, "context", "request context key=value (repeatable; repeat a key for a multivalued key; key= with no value marks it absent)")
	complete := fs.Bool("context-complete", false, "treat condition keys not given with --context as absent rather than unknown")
	resourceAccount := fs.String("resource-account", "", "account id owning the resource (default: the account in RESOURCE's ARN, else the principal's)")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(inputs) == 0 || len(rest) < 2 || len(rest) > 3 {
		fs.Usage()
		return exitUsage
	}
	ctx := policy.NewContext(*complete)
	multi := map[string][]string{}
	var order []string
	for _, kv := range contexts {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			fmt.Fprintf(stderr, "iamscan can: --context %q: want KEY=VALUE\n", kv)
			return exitUsage
		}
		lk := strings.ToLower(k)
		if _, seen := multi[lk]; !seen {
			order = append(order, k)
		}
		if v == "" {
			multi[lk] = nil
			continue
		}
		multi[lk] = append(multi[lk], v)
	}
	for _, k := range order {
		if vals := multi[strings.ToLower(k)]; vals == nil {
			ctx.SetAbsent(k)
		} else {
			ctx.Set(k, vals...)
		}
	}
	// Every request carries the time it is made; evaluate "now" unless
	// told otherwise.
	now := time.Now().UTC()
	if !ctx.Known("aws:CurrentTime") {
		ctx.Set("aws:CurrentTime", now.Format(time.RFC3339))
	}
	if !ctx.Known("aws:EpochTime") {
		ctx.Set("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	}
	snap, err := offline.Load(inputs, offline.Options{ResolveManaged: awsmanaged.Resolve})
	if err != nil {
		fmt.Fprintln(stderr, "iamscan can:", err)
		return exitUsage
	}
	principal := snap.FindPrincipal(rest[0])
	if principal == nil {
		fmt.Fprintf(stderr, "iamscan can: no user or role %q in the input\n", rest[0])
		return exitUsage
	}
	resource := "*"
	if len(rest) == 3 {
		resource = rest[2]
	}
	req, ps := access.RequestFor(snap, principal, rest[1], resource, ctx)
	req.ResourceAccount = *resourceAccount
	if req.ResourceAccount == "" {
		req.ResourceAccount = arnAccount(resource)
	}
	for _, extra := range []struct {
		files []string
		dst   *[]policy.NamedPolicy
	}{{resourcePolicies, &ps.Resource}, {sessionPolicies, &ps.Session}} {
		for _, file := range extra.files {
			np, err := readPolicyFile(file, stderr)
			if err != nil {
				fmt.Fprintln(stderr, "iamscan can:", err)
				return exitUsage
			}
			*extra.dst = append(*extra.dst, np)
		}
	}
	res := policy.Evaluate(req, ps)

	fmt.Fprintln(stdout, res.Decision)
	fmt.Fprintf(stdout, "%s: %s %s on %s\n", res.Reason, principal.ARN, rest[1], resource)
	for _, d := range res.Statements {
		fmt.Fprintf(stdout, "  %s\n", d)
	}
	if res.Decision == policy.Conditional {
		var keys []string
		for _, d := range res.Statements {
			for _, k := range d.Unknown {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
		if len(keys) > 0 {
			fmt.Fprintf(stdout, "depends on context keys: %s (give them with --context)\n", strings.Join(keys, ", "))
		}
	}
	if _, ok := policy.DefaultCatalog().Lookup(rest[1]); !ok && !strings.ContainsAny(rest[1], "*?") {
		fmt.Fprintf(stderr, "iamscan can: note: %s is not in the action catalog (%s)\n", rest[1], policy.CatalogVersion())
	}
	if len(snap.Problems) > 0 {
		fmt.Fprintf(stderr, "iamscan can: note: the input has %d problem(s) the scanner could not fully understand; run iamscan scan for details\n", len(snap.Problems))
	}
	if res.Decision == policy.Allowed {
		return exitOK
	}
	return exitFindings
}

// readPolicyFile parses a bare policy document, printing the problems
// the parser found (the statements still take part as far as understood).
func readPolicyFile(file string, stderr io.Writer) (policy.NamedPolicy, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return policy.NamedPolicy{}, err
	}
	doc, err := policy.Parse(file, data)
	if err != nil {
		return policy.NamedPolicy{}, err
	}
	for _, p := range doc.Problems {
		fmt.Fprintf(stderr, "iamscan can: %s\n", p)
	}
	return policy.NamedPolicy{Name: file, Doc: doc}, nil
}

// arnAccount is the account segment of an ARN ("" for none, "*" or a
// resource that is not an ARN, such as S3 buckets and objects).
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[4] == "*" || parts[4] == "aws" {
		return ""
	}
	return parts[4]
}
