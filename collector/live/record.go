package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// recorder counts the API calls made for one account, by operation, from
// inside the SDK's middleware stack: the counts are those of the calls
// really made (every page), not of the collector's intentions.
type recorder struct {
	account  string
	progress *progress

	mu    sync.Mutex
	calls map[string]*opCount // by "service:Operation"
}

type opCount struct {
	service, operation string
	calls              int
	lastErr            string
}

func newRecorder(account string, p *progress) *recorder {
	return &recorder{account: account, progress: p, calls: map[string]*opCount{}}
}

// add installs the counting middleware. It sits in the initialize step,
// after the SDK has named the operation and before the retry loop, so a
// call retried after throttling counts once.
func (r *recorder) add(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("iamscanRecordCall",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			start := time.Now()
			out, md, err := next.HandleInitialize(ctx, in)
			r.record(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx), err, time.Since(start))
			return out, md, err
		}), middleware.After)
}

func (r *recorder) record(service, operation string, err error, took time.Duration) {
	key := actionName(service, operation)
	r.mu.Lock()
	c := r.calls[key]
	if c == nil {
		c = &opCount{service: service, operation: operation}
		r.calls[key] = c
	}
	c.calls++
	if err != nil {
		c.lastErr = errorCode(err)
	}
	r.mu.Unlock()
	if err != nil {
		r.progress.verbosef(r.account, "%s failed after %s: %s", key, took.Round(time.Millisecond), errorCode(err))
	} else {
		r.progress.verbosef(r.account, "%s %s", key, took.Round(time.Millisecond))
	}
}

// actionName is the IAM action that authorizes an operation, e.g.
// "iam:GetAccountAuthorizationDetails" for service id "IAM".
func actionName(serviceID, operation string) string {
	return strings.ToLower(strings.ReplaceAll(serviceID, " ", "")) + ":" + operation
}

// records lists the counts by operation name, sorted, for the document.
func (r *recorder) records() []CallRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]CallRecord, 0, len(r.calls))
	for _, c := range r.calls {
		out = append(out, CallRecord{Operation: c.operation, Calls: c.calls, Error: c.lastErr})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Operation < out[j].Operation })
	return out
}

// actions lists the IAM actions called, sorted.
func (r *recorder) actions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.calls))
	for k := range r.calls {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (r *recorder) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		n += c.calls
	}
	return n
}

// errorCode is the API's error code, or a short description of a
// transport failure.
func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	var refused *NotReadOnlyError
	if errors.As(err, &refused) {
		return "NotReadOnly"
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "Canceled"
	}
	return "RequestError"
}

// errorMessage is the API's message, or the whole error for transport
// failures (which carry no API message).
func errorMessage(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorMessage() != "" {
		return api.ErrorMessage()
	}
	return err.Error()
}

// hasCode reports whether err is an API error with one of codes.
func hasCode(err error, codes ...string) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	for _, c := range codes {
		if api.ErrorCode() == c {
			return true
		}
	}
	return false
}

// progress writes human-readable progress lines. A nil writer is quiet;
// lines from concurrent account collections do not interleave.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	verbose bool
}

func (p *progress) printf(account, format string, args ...any) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "[%s] %s\n", account, fmt.Sprintf(format, args...))
}

func (p *progress) verbosef(account, format string, args ...any) {
	if p != nil && p.verbose {
		p.printf(account, format, args...)
	}
}
