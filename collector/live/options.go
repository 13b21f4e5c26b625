// Package live collects an AWS account's IAM state through the AWS API
// and writes it as iamscan's raw document (docs/raw-format.md), so that a
// live scan and an offline scan of the same account read the same input.
//
// Collection is read-only (List, Get, Describe and Generate*Report calls;
// sts:AssumeRole for other accounts), enforced by a middleware on every
// client that refuses any other operation (guard.go), uses the SDK's
// paginators and its
// adaptive retry mode, and treats a failed call as a recorded gap in the
// document rather than as the end of the collection.
package live

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/aws/smithy-go/middleware"
)

// Options configure a collection. The zero value collects the account of
// the default credential chain.
type Options struct {
	// Profile is the shared-config profile; empty means the SDK's default
	// (AWS_PROFILE or "default").
	Profile string
	// Region for the API clients. IAM is global, so when neither this,
	// AWS_REGION nor the profile sets one, us-east-1 is used.
	Region string
	// EndpointURL overrides every service's endpoint (tests, compatible
	// APIs such as moto or LocalStack).
	EndpointURL string

	// RoleName, when set, is assumed in each account of Accounts (or of
	// the organization with Org) as arn:PARTITION:iam::ACCOUNT:role/RoleName.
	RoleName   string
	ExternalID string
	Accounts   []string
	// Org lists the organization's active accounts through
	// organizations:ListAccounts and collects each of them.
	Org bool
	// Concurrency bounds how many accounts are collected at once; <= 0
	// means DefaultConcurrency.
	Concurrency int

	// MaxAttempts per API call, retries included; <= 0 means
	// DefaultMaxAttempts. Throttling is the common reason to retry, and
	// the adaptive mode slows the client down when it happens.
	MaxAttempts int
	// ReportTimeout bounds the wait for the credential report; <= 0 means
	// DefaultReportTimeout.
	ReportTimeout time.Duration

	// Progress receives human-readable progress lines; nil is quiet.
	// Verbose adds one line per API call.
	Progress io.Writer
	Verbose  bool

	// Version is written into the raw document's Collector section.
	Version string

	// APIOptions are added to every API client's middleware stack. Tests
	// use it to observe or fault-inject calls; the CLI leaves it empty.
	APIOptions []func(*middleware.Stack) error
}

// Defaults for the zero values of Options.
const (
	DefaultConcurrency   = 4
	DefaultMaxAttempts   = 10
	DefaultReportTimeout = 3 * time.Minute
)

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	// roleNamePattern is IAM's own rule for role names (paths excluded).
	roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
)

// validate reports option combinations that cannot work, before any call
// is made.
func (o *Options) validate() error {
	var errs []error
	for _, id := range o.Accounts {
		if !accountIDPattern.MatchString(id) {
			errs = append(errs, fmt.Errorf("account id %q is not 12 digits", id))
		}
	}
	if len(o.Accounts) > 0 && o.Org {
		errs = append(errs, errors.New("give either accounts or org, not both"))
	}
	if (len(o.Accounts) > 0 || o.Org) && o.RoleName == "" {
		errs = append(errs, errors.New("collecting other accounts needs a role name to assume in each"))
	}
	if o.RoleName != "" && !roleNamePattern.MatchString(o.RoleName) {
		errs = append(errs, fmt.Errorf("role name %q is not a valid IAM role name", o.RoleName))
	}
	if o.RoleName != "" && len(o.Accounts) == 0 && !o.Org {
		errs = append(errs, errors.New("a role name needs accounts or org to say where to assume it"))
	}
	return errors.Join(errs...)
}

func (o *Options) concurrency() int {
	if o.Concurrency <= 0 {
		return DefaultConcurrency
	}
	return o.Concurrency
}

func (o *Options) maxAttempts() int {
	if o.MaxAttempts <= 0 {
		return DefaultMaxAttempts
	}
	return o.MaxAttempts
}

func (o *Options) reportTimeout() time.Duration {
	if o.ReportTimeout <= 0 {
		return DefaultReportTimeout
	}
	return o.ReportTimeout
}
