package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/sync/errgroup"
)

// Collect reads the account of the caller's credentials. The error is
// non-nil when the configuration cannot be loaded or the account cannot
// be read at all; failed calls within an account are in
// Result.Raw.Collection.Errors instead (see Result.Incomplete). When ctx
// ends first (a timeout, an interrupt), the result holds what was read
// and Result.Stopped says why; the calls cut short are in the errors.
func Collect(ctx context.Context, o Options) (*Result, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if len(o.Accounts) > 0 || o.Org {
		return nil, errors.New("collecting other accounts returns one result per account: use CollectAll")
	}
	cfg, err := loadConfig(ctx, &o)
	if err != nil {
		return nil, err
	}
	p := &progress{w: o.Progress, verbose: o.Verbose}
	// One account: its own credentials read Organizations.
	res := newAccountRun(cfg, &o, "self", p, newOrgReader(nil), nil).run(ctx)
	return res, res.Err
}

// Batch is a multi-account collection.
type Batch struct {
	// Results has one entry per account, sorted by account id.
	Results []*Result
	// Calls and Actions cover the calls made outside any one account:
	// the caller's identity and the organization's account list.
	Calls   []CallRecord
	Actions []string
	// Stopped is why the collection was cut short (the context's cause),
	// nil when every account ran to its end. Accounts that completed
	// before are whole; the one being read holds what was read (see
	// Result.Stopped); those not started have only Result.Err.
	Stopped error
}

// Incomplete reports whether any account is incomplete.
func (b *Batch) Incomplete() bool {
	if b.Stopped != nil {
		return true
	}
	for _, r := range b.Results {
		if r.Incomplete() {
			return true
		}
	}
	return false
}

// CollectAll assumes Options.RoleName in each account of Options.Accounts
// (or of the organization with Options.Org) and collects them, at most
// Options.Concurrency at once. An account that cannot be read has its
// Result.Err set; the error is for failures that stop everything (bad
// options, configuration, the account list). When ctx ends first, the
// batch holds every account's result so far and Batch.Stopped says why.
func CollectAll(ctx context.Context, o Options) (*Batch, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if len(o.Accounts) == 0 && !o.Org {
		return nil, errors.New("no accounts to collect: give accounts or org")
	}
	cfg, err := loadConfig(ctx, &o)
	if err != nil {
		return nil, err
	}
	p := &progress{w: o.Progress, verbose: o.Verbose}
	base := newRecorder("organization", p)
	withBase := func(stack *middleware.Stack) error { return base.add(stack) }
	baseOptions := append([]func(*middleware.Stack) error{withBase}, o.APIOptions...)

	who, err := sts.NewFromConfig(cfg, func(so *sts.Options) { so.APIOptions = append(so.APIOptions, baseOptions...) }).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("reading the caller identity: %s: %s", errorCode(err), errorMessage(err))
	}
	partition := "aws"
	if parsed, err := arn.Parse(aws.ToString(who.Arn)); err == nil {
		partition = parsed.Partition
	}

	// The caller's own credentials read Organizations for every account in
	// the caller's organization: they listed the accounts (with Org),
	// while the assumed roles of member accounts normally cannot.
	orgClient := organizations.NewFromConfig(cfg, func(oo *organizations.Options) {
		oo.APIOptions = append(oo.APIOptions, o.APIOptions...)
	})
	accounts := o.Accounts
	if o.Org {
		accounts, err = activeAccounts(ctx, orgClient, withBase)
		if err != nil {
			return nil, fmt.Errorf("listing the organization's accounts: %s: %s", errorCode(err), errorMessage(err))
		}
		p.printf("organization", "%d active accounts", len(accounts))
	}
	accounts = uniqueSorted(accounts)

	orgs := newOrgReader(orgClient)
	results := make([]*Result, len(accounts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.concurrency())
	for i, id := range accounts {
		g.Go(func() error {
			if ctx.Err() != nil {
				// Stopped while this account waited for its turn.
				why := context.Cause(ctx)
				results[i] = &Result{AccountID: id, Stopped: why, Err: fmt.Errorf("the collection stopped before this account's turn (%w)", why)}
				return nil
			}
			roleARN := arn.ARN{Partition: partition, Service: "iam", AccountID: id, Resource: "role/" + o.RoleName}.String()
			rec := newRecorder(id, p)
			// AssumeRole is counted with the account it opens.
			assumer := sts.NewFromConfig(cfg, func(so *sts.Options) {
				so.APIOptions = append(append(so.APIOptions, rec.add), o.APIOptions...)
			})
			acfg := cfg.Copy()
			acfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(assumer, roleARN, func(ao *stscreds.AssumeRoleOptions) {
				ao.RoleSessionName = "iamscan"
				if o.ExternalID != "" {
					ao.ExternalID = aws.String(o.ExternalID)
				}
			}))
			res := newAccountRun(acfg, &o, id, p, orgs, rec).run(gctx)
			if res.Err != nil && res.Stopped == nil {
				res.Err = fmt.Errorf("assuming %s: %w", roleARN, res.Err)
			}
			if res.Err == nil && res.AccountID != id {
				res.Err = fmt.Errorf("assuming %s opened account %s instead", roleARN, res.AccountID)
				res.Raw = nil
			}
			res.AccountID = id
			results[i] = res
			return nil
		})
	}
	_ = g.Wait() // accounts record their own failures
	b := &Batch{Results: results, Calls: base.records(), Actions: base.actions()}
	if ctx.Err() != nil {
		b.Stopped = context.Cause(ctx)
	}
	return b, nil
}

// activeAccounts lists the organization's accounts that can be entered.
func activeAccounts(ctx context.Context, client *organizations.Client, rec func(*middleware.Stack) error) ([]string, error) {
	var ids []string
	pages := organizations.NewListAccountsPaginator(client, &organizations.ListAccountsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx, func(oo *organizations.Options) { oo.APIOptions = append(oo.APIOptions, rec) })
		if err != nil {
			return nil, err
		}
		for _, a := range page.Accounts {
			// State replaces Status (retired in 2026); older APIs and
			// emulators only fill Status.
			active := a.State == orgtypes.AccountStateActive ||
				(a.State == "" && a.Status == orgtypes.AccountStatusActive)
			if active {
				ids = append(ids, aws.ToString(a.Id))
			}
		}
	}
	return ids, nil
}

func uniqueSorted(ids []string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	n := 0
	for i, id := range out {
		if i == 0 || id != out[n-1] {
			out[n] = id
			n++
		}
	}
	return out[:n]
}

// Index is index.json of a multi-account collection: which file holds
// which account, and how its collection went.
type Index struct {
	Format        string    `json:"Format"`
	FormatVersion int       `json:"FormatVersion"`
	CollectedAt   time.Time `json:"CollectedAt"`
	// Stopped says why the collection was cut short (a timeout, an
	// interrupt); absent when it ran to its end.
	Stopped  string                `json:"Stopped,omitempty"`
	Accounts map[string]IndexEntry `json:"Accounts"`
	Calls    []CallRecord          `json:"Calls"`
}

// IndexEntry is one account in the index. Status is "complete",
// "incomplete" (some calls failed or were cut short: see the document's
// Collection.Errors, and Error) or "failed" (no document; Error says why).
type IndexEntry struct {
	File   string `json:"File,omitempty"`
	Status string `json:"Status"`
	Error  string `json:"Error,omitempty"`
	Calls  int    `json:"Calls"`
}

// Index statuses.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
	StatusFailed     = "failed"
)

// IndexFile is the name of the index in a multi-account output directory.
const IndexFile = "index.json"

// WriteAll writes one raw document per collected account, named
// ACCOUNT.json, and IndexFile into dir (created if needed).
func WriteAll(dir string, b *Batch) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	idx := &Index{Format: "iamscan-index", FormatVersion: 1, CollectedAt: time.Now().UTC(),
		Accounts: map[string]IndexEntry{}, Calls: b.Calls}
	if b.Stopped != nil {
		idx.Stopped = b.Stopped.Error()
	}
	for _, r := range b.Results {
		e := IndexEntry{Status: StatusComplete, Calls: r.Calls}
		switch {
		case r.Raw == nil:
			e.Status = StatusFailed
			if r.Err != nil {
				e.Error = r.Err.Error()
			}
		default:
			if r.Incomplete() {
				e.Status = StatusIncomplete
			}
			if r.Stopped != nil {
				e.Error = "cut short: the collection stopped (" + r.Stopped.Error() + "); the calls that did not complete are in the document's Collection.Errors"
			}
			e.File = r.AccountID + ".json"
			if err := WriteRawFile(filepath.Join(dir, e.File), r); err != nil {
				return nil, err
			}
		}
		idx.Accounts[r.AccountID] = e
	}
	err := writeFile(filepath.Join(dir, IndexFile), func(f *os.File) error {
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		return enc.Encode(idx)
	})
	return idx, err
}

// WriteRawFile writes one account's raw document to path, readable by
// its owner only (it describes every principal and credential of the
// account), through a temporary file in the same directory renamed over
// path: a reader never sees half a document, and a file that was there
// before, whatever its mode, is replaced rather than rewritten in place.
func WriteRawFile(path string, r *Result) error {
	return writeFile(path, func(f *os.File) error { return WriteRaw(f, r) })
}

// writeFile writes through a temporary file (mode 0600, from
// os.CreateTemp) and renames it, so that a reader never sees half a
// document.
func writeFile(path string, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".iamscan-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after the rename
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Rename(f.Name(), path)
}
