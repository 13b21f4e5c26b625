package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/sync/errgroup"

	"github.com/iamscan/iamscan/snapshot"
)

// Result is one account's collection.
type Result struct {
	AccountID string
	// Raw is the document to write; nil when the account could not be
	// collected at all (Err says why).
	Raw *Raw
	Err error
	// Actions lists the IAM actions the collection called (e.g.
	// "iam:GetAccountAuthorizationDetails"), sorted.
	Actions []string
	// Calls is the number of API calls made, pages included, retries not.
	Calls    int
	Duration time.Duration
	// Stopped is why the collection was cut short (the context's cause:
	// a timeout, an interrupt), nil when it ran to its end. Raw then
	// holds what was read before, and Collection.Errors the calls that
	// did not complete, with the data they leave out.
	Stopped error
}

// Incomplete reports whether data the account has could not be read: the
// account failed or was cut short, or a call failed for a reason other
// than the expected ones (see CallError.Expected).
func (r *Result) Incomplete() bool {
	if r.Err != nil || r.Raw == nil || r.Stopped != nil {
		return true
	}
	for _, e := range r.Raw.Collection.Errors {
		if !e.Expected {
			return true
		}
	}
	return false
}

// pageSize is the largest page IAM serves; fewer pages, fewer calls.
const pageSize = 1000

// sectionsInFlight bounds the calls one account makes at once: the
// independent sections run together so that the credential report is
// generated while the authorization details download.
const sectionsInFlight = 4

// accountRun collects one account. Its sections run concurrently and
// each fills its own fields of raw; failures are recorded, not returned.
type accountRun struct {
	opts     *Options
	label    string // account id, or "self" until the caller is known
	iam      *iam.Client
	sts      *sts.Client
	org      *organizations.Client // calls are counted per call, see orgReader
	orgs     *orgReader
	rec      *recorder
	progress *progress

	started time.Time
	// stop is the context of the whole run: once it is done, a call that
	// fails without an API error was cut short, not refused.
	stop context.Context

	mu  sync.Mutex // guards raw.Collection.Errors and the sections
	raw *Raw
}

// The wait for the credential report: polls 250 ms apart, doubling up to
// 5 s (the first delay is a variable so that tests can shorten it).
var reportFirstDelay = 250 * time.Millisecond

const reportMaxDelay = 5 * time.Second

// errReportNotReady is the cause of the report's own time limit, to tell
// it from the collection's.
var errReportNotReady = errors.New("the credential report was not ready in time")

// reportMaxAge is how old a credential report AWS hands out can be: it
// regenerates reports older than four hours. A day allows for clock skew.
const reportMaxAge = 24 * time.Hour

// plausibleReportTime says whether the report's generation time can be
// the snapshot's as-of: AWS reuses a report for up to four hours, so an
// older time (moto answers a fixed 2015 date) would make every age-based
// rule measure from the wrong day.
func plausibleReportTime(generated, started, now time.Time) bool {
	return !generated.IsZero() && !generated.Before(started.Add(-reportMaxAge)) && !generated.After(now.Add(5*time.Minute))
}

// newAccountRun prepares the clients of one account; rec may be nil (a
// new recorder) or one that already counts the account's AssumeRole.
func newAccountRun(cfg aws.Config, o *Options, label string, p *progress, orgs *orgReader, rec *recorder) *accountRun {
	if rec == nil {
		rec = newRecorder(label, p)
	}
	apiOptions := append([]func(*middleware.Stack) error{rec.add}, o.APIOptions...)
	return &accountRun{
		opts:  o,
		label: label,
		iam:   iam.NewFromConfig(cfg, func(opts *iam.Options) { opts.APIOptions = append(opts.APIOptions, apiOptions...) }),
		sts:   sts.NewFromConfig(cfg, func(so *sts.Options) { so.APIOptions = append(so.APIOptions, apiOptions...) }),
		org: organizations.NewFromConfig(cfg, func(oo *organizations.Options) {
			oo.APIOptions = append(oo.APIOptions, o.APIOptions...)
		}),
		orgs:     orgs,
		rec:      rec,
		progress: p,
		raw: &Raw{
			Format:        RawFormat,
			FormatVersion: RawFormatVersion,
			Collector:     CollectorInfo{Tool: "iamscan", Version: o.Version},
			Collection:    Collection{Calls: []CallRecord{}, Errors: []CallError{}},
		},
	}
}

// run collects everything. It fails only when the caller's identity
// cannot be read: without it the document could not say which account it
// describes (and the credentials are unusable anyway).
func (a *accountRun) run(ctx context.Context) *Result {
	start := time.Now()
	a.started = start
	a.stop = ctx
	res := &Result{AccountID: a.label}
	defer func() {
		res.Actions = a.rec.actions()
		res.Calls = a.rec.total()
		res.Duration = time.Since(start)
	}()

	who, err := a.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		if why := a.stopped(err); why != nil {
			res.Stopped = why
			res.Err = fmt.Errorf("the collection stopped before the caller identity was read (%w)", why)
		} else {
			res.Err = fmt.Errorf("reading the caller identity: %s: %s", errorCode(err), errorMessage(err))
		}
		a.progress.printf(a.label, "failed: %v", res.Err)
		return res
	}
	caller := &Caller{Account: aws.ToString(who.Account), Arn: aws.ToString(who.Arn), UserID: aws.ToString(who.UserId)}
	a.raw.Caller = caller
	a.raw.AccountID = caller.Account
	a.raw.Partition = "aws"
	if parsed, err := arn.Parse(caller.Arn); err == nil {
		a.raw.Partition = parsed.Partition
	}
	res.AccountID = caller.Account
	if a.label != caller.Account {
		a.label = caller.Account
		a.rec.account = caller.Account
	}
	a.progress.printf(a.label, "collecting as %s", caller.Arn)

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(sectionsInFlight)
	for _, section := range []func(context.Context){
		a.authorizationDetails, // the largest: start it first
		a.credentialReport,
		a.passwordPolicy,
		a.accountSummary,
		a.virtualMFADevices,
		a.identityProviders,
		a.serverCertificates,
		a.accountAliases,
		a.organizationPolicies,
	} {
		g.Go(func() error { section(gctx); return nil })
	}
	_ = g.Wait() // sections record their own failures, cut short or not
	if a.raw.CollectedAt.IsZero() {
		a.raw.CollectedAt = time.Now().UTC()
	}
	a.raw.Collection.Calls = a.rec.records()
	// Cut short or not, what was read is kept: every section that did
	// not complete has recorded why and what it leaves out.
	res.Raw = a.raw
	if ctx.Err() != nil {
		res.Stopped = context.Cause(ctx)
		a.progress.printf(a.label, "stopped after %s (%v): %d calls, %d not completed or failed",
			time.Since(start).Round(time.Millisecond), res.Stopped, a.rec.total(), len(a.raw.Collection.Errors))
		return res
	}
	a.progress.printf(a.label, "done in %s: %d calls, %d failed", time.Since(start).Round(time.Millisecond), a.rec.total(), len(a.raw.Collection.Errors))
	return res
}

// stopped returns why the run was stopped when err is a call cut short
// by it (no API answer, and the run's context is done), else nil.
func (a *accountRun) stopped(err error) error {
	if a.stop == nil || a.stop.Err() == nil || err == nil {
		return nil
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		return nil // AWS answered: a failure of its own
	}
	return context.Cause(a.stop)
}

// Codes of the calls that did not complete because the collection
// stopped (CallError.Code).
const (
	CodeTimedOut    = "TimedOut"    // the context's deadline passed
	CodeInterrupted = "Interrupted" // the context was cancelled
)

// fail records a failed call and the data kinds it leaves out. A call cut
// short by the end of the collection is recorded as such, with the reason.
func (a *accountRun) fail(operation string, err error, missing ...snapshot.Data) {
	if why := a.stopped(err); why != nil {
		code := CodeInterrupted
		if errors.Is(a.stop.Err(), context.DeadlineExceeded) {
			code = CodeTimedOut
		}
		a.failWith(CallError{Operation: operation, Code: code, Message: "not completed: the collection stopped (" + why.Error() + ")", Missing: missing})
		return
	}
	a.failWith(CallError{Operation: operation, Code: errorCode(err), Message: errorMessage(err), Missing: missing})
}

func (a *accountRun) failWith(e CallError) {
	if e.Missing == nil {
		e.Missing = []snapshot.Data{}
	}
	a.mu.Lock()
	a.raw.Collection.Errors = append(a.raw.Collection.Errors, e)
	a.mu.Unlock()
	a.progress.printf(a.label, "%s failed: %s: %s", e.Operation, e.Code, e.Message)
}

// set stores an encoded section; an encoding failure (which would be a
// bug, the values come from the SDK) is recorded like a failed call.
func (a *accountRun) set(dst *json.RawMessage, operation string, v any, kinds ...snapshot.Data) {
	b, err := section(v)
	if err != nil {
		a.failWith(CallError{Operation: operation, Code: "EncodingError", Message: err.Error(), Missing: kinds})
		return
	}
	a.mu.Lock()
	*dst = b
	a.mu.Unlock()
}

// iamPager is what the SDK's IAM paginators have in common.
type iamPager[Page any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*iam.Options)) (Page, error)
}

// allPages reads every page and concatenates their items; the result is
// never nil, so that "none" is written as [] rather than left out.
func allPages[Page, Item any](ctx context.Context, pages iamPager[Page], items func(Page) []Item) ([]Item, error) {
	all := []Item{}
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, items(page)...)
	}
	return all, nil
}

// authorizationDetails is the merged GetAccountAuthorizationDetails answer
// for every entity type; every policy version comes with it.
func (a *accountRun) authorizationDetails(ctx context.Context) {
	const op = "GetAccountAuthorizationDetails"
	merged := struct {
		UserDetailList  []iamtypes.UserDetail
		GroupDetailList []iamtypes.GroupDetail
		RoleDetailList  []iamtypes.RoleDetail
		Policies        []iamtypes.ManagedPolicyDetail
	}{[]iamtypes.UserDetail{}, []iamtypes.GroupDetail{}, []iamtypes.RoleDetail{}, []iamtypes.ManagedPolicyDetail{}}
	pages := iam.NewGetAccountAuthorizationDetailsPaginator(a.iam, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []iamtypes.EntityType{
			iamtypes.EntityTypeUser, iamtypes.EntityTypeRole, iamtypes.EntityTypeGroup,
			iamtypes.EntityTypeLocalManagedPolicy, iamtypes.EntityTypeAWSManagedPolicy,
		},
	}, func(o *iam.GetAccountAuthorizationDetailsPaginatorOptions) {
		o.Limit = pageSize
		o.StopOnDuplicateToken = true
	})
	for n := 1; pages.HasMorePages(); n++ {
		page, err := pages.NextPage(ctx)
		if err != nil {
			a.fail(op, err, snapshot.DataAuthorizationDetails)
			return
		}
		merged.UserDetailList = append(merged.UserDetailList, page.UserDetailList...)
		merged.GroupDetailList = append(merged.GroupDetailList, page.GroupDetailList...)
		merged.RoleDetailList = append(merged.RoleDetailList, page.RoleDetailList...)
		merged.Policies = append(merged.Policies, page.Policies...)
		a.progress.printf(a.label, "authorization details: page %d, %d users, %d roles, %d groups, %d managed policies so far",
			n, len(merged.UserDetailList), len(merged.RoleDetailList), len(merged.GroupDetailList), len(merged.Policies))
	}
	a.set(&a.raw.AuthorizationDetails, op, merged, snapshot.DataAuthorizationDetails)
}

// credentialReport generates the report and waits for it. Generating is
// asynchronous: the wait below polls the report's state, it does not
// retry failed calls (the SDK's retryer does that).
func (a *accountRun) credentialReport(ctx context.Context) {
	timeout := a.opts.reportTimeout()
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errReportNotReady)
	defer cancel()
	delay := reportFirstDelay
	wait := func() error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, reportMaxDelay)
		return nil
	}
	// fail tells the report's own time limit from the collection's.
	fail := func(op string, err error) {
		if a.stopped(err) == nil && context.Cause(ctx) == errReportNotReady {
			a.failWith(CallError{Operation: op, Code: "ReportTimeout",
				Message: fmt.Sprintf("the credential report was not ready after %s", timeout),
				Missing: []snapshot.Data{snapshot.DataCredentialReport}})
			return
		}
		a.fail(op, err, snapshot.DataCredentialReport)
	}
	for {
		gen, err := a.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			fail("GenerateCredentialReport", err)
			return
		}
		if gen.State != iamtypes.ReportStateTypeComplete {
			if err := wait(); err != nil {
				fail("GenerateCredentialReport", err)
				return
			}
			continue
		}
		rep, err := a.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		if hasCode(err, "ReportInProgress", "ReportNotPresent", "ReportExpired") {
			// Another client regenerated the report between our calls.
			if err := wait(); err != nil {
				fail("GetCredentialReport", err)
				return
			}
			continue
		}
		if err != nil {
			fail("GetCredentialReport", err)
			return
		}
		a.set(&a.raw.CredentialReport, "GetCredentialReport", reportSection(rep), snapshot.DataCredentialReport)
		if at := aws.ToTime(rep.GeneratedTime); plausibleReportTime(at, a.started, time.Now()) {
			a.mu.Lock()
			a.raw.CollectedAt = at.UTC()
			a.mu.Unlock()
		} else {
			a.progress.printf(a.label, "credential report generated at %s, long before this collection: the document's CollectedAt is the collection time instead", at.Format(time.RFC3339))
		}
		a.progress.printf(a.label, "credential report: %d bytes", len(rep.Content))
		return
	}
}

// reportSection is the credential report as the raw document holds it:
// the CSV as one JSON string per line, so that the document (written
// indented) has each row on a line of its own for findings to point at.
// A report that is not UTF-8 text (which AWS never sends) is kept as the
// API's base64 Content instead, byte for byte.
func reportSection(rep *iam.GetCredentialReportOutput) any {
	if !utf8.Valid(rep.Content) {
		return struct {
			GeneratedTime *time.Time
			ReportFormat  iamtypes.ReportFormatType
			Content       []byte
		}{rep.GeneratedTime, rep.ReportFormat, rep.Content}
	}
	text := strings.TrimSuffix(strings.ReplaceAll(string(rep.Content), "\r\n", "\n"), "\n")
	lines := []string{}
	if text != "" {
		lines = strings.Split(text, "\n")
	}
	return struct {
		GeneratedTime *time.Time
		ReportFormat  iamtypes.ReportFormatType
		Lines         []string
	}{rep.GeneratedTime, rep.ReportFormat, lines}
}

// passwordPolicy: NoSuchEntity means the account has none, which is
// data (written as null), not a failure.
func (a *accountRun) passwordPolicy(ctx context.Context) {
	const op = "GetAccountPasswordPolicy"
	out, err := a.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	switch {
	case hasCode(err, "NoSuchEntity"):
		a.mu.Lock()
		a.raw.PasswordPolicy = []byte("null")
		a.mu.Unlock()
		a.progress.printf(a.label, "password policy: none set")
	case err != nil:
		a.fail(op, err, snapshot.DataPasswordPolicy)
	default:
		a.set(&a.raw.PasswordPolicy, op, struct{ PasswordPolicy *iamtypes.PasswordPolicy }{out.PasswordPolicy}, snapshot.DataPasswordPolicy)
	}
}

func (a *accountRun) accountSummary(ctx context.Context) {
	const op = "GetAccountSummary"
	out, err := a.iam.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		a.fail(op, err, snapshot.DataAccountSummary)
		return
	}
	a.set(&a.raw.AccountSummary, op, struct{ SummaryMap map[string]int32 }{out.SummaryMap}, snapshot.DataAccountSummary)
}

// virtualMFADevices tells a virtual root MFA (listed here with the root
// user) from a hardware one (not listed).
func (a *accountRun) virtualMFADevices(ctx context.Context) {
	const op = "ListVirtualMFADevices"
	pages := iam.NewListVirtualMFADevicesPaginator(a.iam, &iam.ListVirtualMFADevicesInput{}, func(o *iam.ListVirtualMFADevicesPaginatorOptions) {
		o.Limit = pageSize
		o.StopOnDuplicateToken = true
	})
	devices, err := allPages(ctx, pages, func(p *iam.ListVirtualMFADevicesOutput) []iamtypes.VirtualMFADevice { return p.VirtualMFADevices })
	if err != nil {
		a.fail(op, err, snapshot.DataMFADevices)
		return
	}
	a.set(&a.raw.VirtualMFADevices, op, devices, snapshot.DataMFADevices)
}

// oidcProvider is one OIDC provider as the raw format holds it: the
// GetOpenIDConnectProvider answer plus the provider's ARN.
type oidcProvider struct {
	Arn            *string
	Url            *string
	ClientIDList   []string
	ThumbprintList []string
	CreateDate     *time.Time
	Tags           []iamtypes.Tag
}

// identityProviders reads OIDC providers (with their audiences, which only
// GetOpenIDConnectProvider returns) and SAML providers.
func (a *accountRun) identityProviders(ctx context.Context) {
	if list, err := a.iam.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{}); err != nil {
		a.fail("ListOpenIDConnectProviders", err, snapshot.DataIdentityProviders)
	} else {
		providers := make([]oidcProvider, 0, len(list.OpenIDConnectProviderList))
		complete := true
		for _, p := range list.OpenIDConnectProviderList {
			got, err := a.iam.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: p.Arn})
			if err != nil {
				a.fail("GetOpenIDConnectProvider", err, snapshot.DataIdentityProviders)
				complete = false
				break
			}
			providers = append(providers, oidcProvider{p.Arn, got.Url, got.ClientIDList, got.ThumbprintList, got.CreateDate, got.Tags})
		}
		if complete {
			a.set(&a.raw.OpenIDConnectProviders, "GetOpenIDConnectProvider", providers, snapshot.DataIdentityProviders)
		}
	}
	saml, err := a.iam.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
	if err != nil {
		a.fail("ListSAMLProviders", err, snapshot.DataIdentityProviders)
		return
	}
	entries := saml.SAMLProviderList
	if entries == nil {
		entries = []iamtypes.SAMLProviderListEntry{}
	}
	a.set(&a.raw.SAMLProviders, "ListSAMLProviders", entries, snapshot.DataIdentityProviders)
}

func (a *accountRun) serverCertificates(ctx context.Context) {
	const op = "ListServerCertificates"
	pages := iam.NewListServerCertificatesPaginator(a.iam, &iam.ListServerCertificatesInput{}, func(o *iam.ListServerCertificatesPaginatorOptions) {
		o.Limit = pageSize
		o.StopOnDuplicateToken = true
	})
	certs, err := allPages(ctx, pages, func(p *iam.ListServerCertificatesOutput) []iamtypes.ServerCertificateMetadata {
		return p.ServerCertificateMetadataList
	})
	if err != nil {
		a.fail(op, err, snapshot.DataServerCertificates)
		return
	}
	a.set(&a.raw.ServerCertificates, op, certs, snapshot.DataServerCertificates)
}

// accountAliases only names the account in reports: a failure leaves no
// rule without data.
func (a *accountRun) accountAliases(ctx context.Context) {
	const op = "ListAccountAliases"
	pages := iam.NewListAccountAliasesPaginator(a.iam, &iam.ListAccountAliasesInput{}, func(o *iam.ListAccountAliasesPaginatorOptions) {
		o.Limit = pageSize
		o.StopOnDuplicateToken = true
	})
	aliases, err := allPages(ctx, pages, func(p *iam.ListAccountAliasesOutput) []string { return p.AccountAliases })
	if err != nil {
		a.fail(op, err)
		return
	}
	a.set(&a.raw.AccountAliases, op, aliases)
}

// organizationPolicies reads the SCPs and RCPs that apply to the account.
func (a *accountRun) organizationPolicies(ctx context.Context) {
	policies, err := a.orgs.policiesFor(ctx, a.raw.AccountID, a.org, a.rec)
	var notInUse *orgNotInUse
	switch {
	case errors.As(err, &notInUse):
		// Outside an organization no SCP or RCP applies: that is data.
		a.set(&a.raw.OrganizationPolicies, "ListPoliciesForTarget", []orgPolicy{}, snapshot.DataOrganizationPolicies)
		a.progress.printf(a.label, "organization policies: the account is not in an organization")
	case err != nil:
		var opErr *orgError
		op := "ListParents"
		if errors.As(err, &opErr) {
			op = opErr.operation
		}
		if a.stopped(err) != nil {
			a.fail(op, err, snapshot.DataOrganizationPolicies)
			return
		}
		a.failWith(CallError{
			Operation: op, Code: errorCode(err), Message: errorMessage(err),
			Missing: []snapshot.Data{snapshot.DataOrganizationPolicies},
			// Only the management account and delegated administrators
			// can read Organizations; a member account being refused is
			// the normal case, not a gap in the collection.
			Expected: hasCode(err, "AccessDeniedException", "AccessDenied"),
		})
	default:
		a.set(&a.raw.OrganizationPolicies, "DescribePolicy", policies, snapshot.DataOrganizationPolicies)
		a.progress.printf(a.label, "organization policies: %d apply", len(policies))
	}
}
