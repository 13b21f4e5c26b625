package live

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// orgPolicy is one SCP or RCP as the raw format holds it; Content is the
// policy JSON as a string, as DescribePolicy returns it.
type orgPolicy struct {
	Id      *string
	Arn     *string
	Name    *string
	Type    orgtypes.PolicyType
	Content *string
}

// orgReader reads the organization policies that apply to accounts. One
// reader serves every account of a multi-account collection: OUs and
// policies are shared between accounts, so each parent, attachment list
// and policy text is fetched once per collection, not once per account.
type orgReader struct {
	// caller, in a multi-account collection, is Organizations with the
	// credentials that started it (typically the management account's),
	// which can read what member-account roles cannot. Nil for a single
	// account.
	caller    *organizations.Client
	callerOrg memo[*orgtypes.Organization]

	parents  memo[orgtypes.Parent]
	attached memo[[]orgtypes.PolicySummary]
	content  memo[*string]
}

func newOrgReader(caller *organizations.Client) *orgReader {
	return &orgReader{caller: caller}
}

// orgNotInUse means the account belongs to no organization.
type orgNotInUse struct{ err error }

func (e *orgNotInUse) Error() string { return "the account is not a member of an organization" }
func (e *orgNotInUse) Unwrap() error { return e.err }

// orgError names the Organizations operation that failed.
type orgError struct {
	operation string
	err       error
}

func (e *orgError) Error() string { return e.operation + ": " + e.err.Error() }
func (e *orgError) Unwrap() error { return e.err }

// controlPolicyTypes are the organization policies that limit IAM
// permissions; the other types (tag, backup, ...) do not.
var controlPolicyTypes = []orgtypes.PolicyType{
	orgtypes.PolicyTypeServiceControlPolicy,
	orgtypes.PolicyTypeResourceControlPolicy,
}

// maxOUDepth is above Organizations' limit of five OU levels below the
// root; it only guards against a cycle in a faulty API.
const maxOUDepth = 10

// policiesFor lists the SCPs and RCPs attached to the account, to each
// OU above it and to the root, each once. own is Organizations with the
// account's own credentials; rec counts the calls for the account that
// needed them.
func (r *orgReader) policiesFor(ctx context.Context, accountID string, own *organizations.Client, rec *recorder) ([]orgPolicy, error) {
	withRec := func(o *organizations.Options) { o.APIOptions = append(o.APIOptions, rec.add) }
	// DescribeOrganization is open to every member account and is the one
	// call that reliably tells "not in an organization" (ListParents
	// answers AccountNotFound for that on some implementations). It is
	// asked with the account's own credentials: the caller's organization
	// need not be the account's.
	described, err := own.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}, withRec)
	if hasCode(err, "AWSOrganizationsNotInUseException") {
		return nil, &orgNotInUse{err}
	}
	if err != nil {
		return nil, &orgError{"DescribeOrganization", err}
	}
	org := described.Organization
	if org == nil {
		return nil, &orgError{"DescribeOrganization", fmt.Errorf("no organization in the answer")}
	}
	if aws.ToString(org.MasterAccountId) == accountID {
		// SCPs and RCPs never restrict the management account.
		return []orgPolicy{}, nil
	}
	client := own
	if r.caller != nil {
		callerOrg, err := r.callerOrg.get("", func() (*orgtypes.Organization, error) {
			out, err := r.caller.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}, withRec)
			if err != nil {
				return nil, err
			}
			return out.Organization, nil
		})
		if err == nil && callerOrg != nil && aws.ToString(callerOrg.Id) == aws.ToString(org.Id) {
			client = r.caller
		}
	}
	targets := []string{accountID}
	for child := accountID; len(targets) <= maxOUDepth; {
		parent, err := r.parents.get(child, func() (orgtypes.Parent, error) {
			out, err := client.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(child)}, withRec)
			if err != nil {
				return orgtypes.Parent{}, err
			}
			if len(out.Parents) == 0 {
				return orgtypes.Parent{}, fmt.Errorf("%s has no parent", child)
			}
			return out.Parents[0], nil
		})
		if hasCode(err, "AWSOrganizationsNotInUseException") {
			return nil, &orgNotInUse{err}
		}
		if err != nil {
			return nil, &orgError{"ListParents", err}
		}
		targets = append(targets, aws.ToString(parent.Id))
		if parent.Type == orgtypes.ParentTypeRoot {
			break
		}
		child = aws.ToString(parent.Id)
	}

	var policies []orgPolicy
	seen := map[string]bool{}
	for _, target := range targets {
		for _, typ := range controlPolicyTypes {
			summaries, err := r.attached.get(target+"/"+string(typ), func() ([]orgtypes.PolicySummary, error) {
				var all []orgtypes.PolicySummary
				pages := organizations.NewListPoliciesForTargetPaginator(client, &organizations.ListPoliciesForTargetInput{
					TargetId: aws.String(target), Filter: typ,
				})
				for pages.HasMorePages() {
					page, err := pages.NextPage(ctx, withRec)
					if err != nil {
						return nil, err
					}
					all = append(all, page.Policies...)
				}
				return all, nil
			})
			if hasCode(err, "PolicyTypeNotEnabledException") {
				continue // e.g. RCPs not enabled: none apply
			}
			if err != nil {
				return nil, &orgError{"ListPoliciesForTarget", err}
			}
			for _, s := range summaries {
				id := aws.ToString(s.Id)
				if seen[id] {
					continue
				}
				seen[id] = true
				content, err := r.content.get(id, func() (*string, error) {
					out, err := client.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: s.Id}, withRec)
					if err != nil {
						return nil, err
					}
					if out.Policy == nil {
						return nil, fmt.Errorf("policy %s has no content", id)
					}
					return out.Policy.Content, nil
				})
				if err != nil {
					return nil, &orgError{"DescribePolicy", err}
				}
				policies = append(policies, orgPolicy{s.Id, s.Arn, s.Name, s.Type, content})
			}
		}
	}
	if policies == nil {
		policies = []orgPolicy{}
	}
	return policies, nil
}

// memo computes each key's value once, even when several accounts ask
// for it at the same time; failures are remembered too, so a refused
// call is not repeated for every account.
type memo[T any] struct {
	mu      sync.Mutex
	entries map[string]*memoEntry[T]
}

type memoEntry[T any] struct {
	once sync.Once
	v    T
	err  error
}

func (m *memo[T]) get(key string, compute func() (T, error)) (T, error) {
	m.mu.Lock()
	if m.entries == nil {
		m.entries = map[string]*memoEntry[T]{}
	}
	e := m.entries[key]
	if e == nil {
		e = &memoEntry[T]{}
		m.entries[key] = e
	}
	m.mu.Unlock()
	e.once.Do(func() { e.v, e.err = compute() })
	return e.v, e.err
}
