package mototest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fault is an error answer the proxy gives instead of forwarding a call.
type Fault struct {
	Status  int    // HTTP status, e.g. 400, 403, 429
	Code    string // AWS error code, e.g. "Throttling", "AccessDenied"
	Message string
}

// Common faults.
var (
	Throttling      = &Fault{400, "Throttling", "Rate exceeded"}
	TooManyRequests = &Fault{429, "TooManyRequestsException", "AWS Organizations can't complete your request because another request is in progress"}
	AccessDenied    = &Fault{403, "AccessDenied", "User is not authorized to perform this action (injected by the test)"}
	// OrgAccessDenied is how Organizations (a JSON protocol) words it.
	OrgAccessDenied = &Fault{400, "AccessDeniedException", "You don't have permissions to access this resource (injected by the test)"}
)

// Call is one request as the proxy sees it.
type Call struct {
	Action  string     // API operation, e.g. "GetCredentialReport"
	Attempt int        // that operation's requests so far, 1 for the first
	Seq     int        // all requests so far, 1 for the first
	Params  url.Values // query-protocol parameters (nil for JSON protocols)
	// AccessKey and Region are from the request's SigV4 signature
	// (Credential=KEY/DATE/REGION/SERVICE/aws4_request).
	AccessKey, Region string
}

// Reply is an answer the proxy gives itself instead of forwarding.
type Reply struct {
	Status      int // 0 means 200
	ContentType string
	Body        string
}

// IAMReply is a successful query-protocol answer (IAM, STS) of action
// with result as the inner XML of its ...Result element.
func IAMReply(action, result string) *Reply {
	return &Reply{ContentType: "text/xml", Body: fmt.Sprintf(
		`<%[1]sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><%[1]sResult>%[2]s</%[1]sResult><ResponseMetadata><RequestId>proxy</RequestId></ResponseMetadata></%[1]sResponse>`,
		action, result)}
}

// Proxy forwards calls to an upstream (moto) and can answer some itself.
type Proxy struct {
	URL string // the endpoint to give the collector

	// Fault, when set, is asked about every call before it is forwarded.
	// A nil answer forwards the call.
	Fault func(Call) *Fault

	// GAADUsers, when positive, makes the proxy answer
	// GetAccountAuthorizationDetails itself with that many synthetic
	// users, paged by the request's MaxItems as IAM pages them.
	GAADUsers int

	// Delay, when set, holds each call for the duration it returns before
	// answering it, or until the client gives up on it.
	Delay func(Call) time.Duration

	// Reply, when set, is asked about each call that no fault answered;
	// a non-nil reply is sent instead of forwarding the call.
	Reply func(Call) *Reply

	// Rewrite, when set, may change the body of each answer forwarded
	// from upstream.
	Rewrite func(c Call, body []byte) []byte

	mu       sync.Mutex
	seq      int
	requests map[string]int // by action, every attempt
	injected map[string]int
	maxItems []string // MaxItems of each GAAD request
}

// NewProxy starts a proxy to upstream, closed when the test ends.
func NewProxy(t testing.TB, upstream string) *Proxy {
	t.Helper()
	target, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{requests: map[string]int{}, injected: map[string]int{}}
	forward := httputil.NewSingleHostReverseProxy(target)
	forward.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		if r.Context().Err() == nil { // not the client giving up
			t.Logf("mototest proxy: %s: %v", r.URL, err)
		}
		w.WriteHeader(http.StatusBadGateway)
	}
	forward.ModifyResponse = func(resp *http.Response) error {
		c, ok := resp.Request.Context().Value(callKey{}).(Call)
		if !ok || p.Rewrite == nil {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		body = p.Rewrite(c, body)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		action, form := operation(r, body)

		p.mu.Lock()
		p.requests[action]++
		p.seq++
		call := Call{Action: action, Attempt: p.requests[action], Seq: p.seq, Params: form}
		call.AccessKey, call.Region = signer(r)
		var fault *Fault
		if p.Fault != nil {
			fault = p.Fault(call)
		}
		if fault != nil {
			p.injected[action]++
		}
		if action == "GetAccountAuthorizationDetails" {
			p.maxItems = append(p.maxItems, form.Get("MaxItems"))
		}
		delay, reply := p.Delay, p.Reply
		p.mu.Unlock()

		if delay != nil {
			if d := delay(call); d > 0 {
				select {
				case <-time.After(d):
				case <-r.Context().Done():
					return // the client gave up
				}
			}
		}
		var answer *Reply
		if fault == nil && reply != nil {
			answer = reply(call)
		}
		switch {
		case fault != nil:
			writeFault(w, r, fault)
		case answer != nil:
			if answer.ContentType != "" {
				w.Header().Set("Content-Type", answer.ContentType)
			}
			if answer.Status != 0 {
				w.WriteHeader(answer.Status)
			}
			_, _ = io.WriteString(w, answer.Body)
		case action == "GetAccountAuthorizationDetails" && p.GAADUsers > 0:
			p.writeGAADPage(w, form)
		default:
			forward.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callKey{}, call)))
		}
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// callKey carries a forwarded request's Call to Rewrite.
type callKey struct{}

// signer reads the access key and region from a SigV4 Authorization
// header.
func signer(r *http.Request) (accessKey, region string) {
	_, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	if !ok {
		return "", ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) < 3 {
		return parts[0], ""
	}
	return parts[0], parts[2]
}

// FailOn makes the proxy answer fault to every call of action.
func (p *Proxy) FailOn(action string, fault *Fault) {
	p.Fault = func(c Call) *Fault {
		if c.Action == action {
			return fault
		}
		return nil
	}
}

// Requests is how many requests (attempts, retries included) the proxy
// received for an action.
func (p *Proxy) Requests(action string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests[action]
}

// Injected is how many faults the proxy answered for an action, or in
// all when action is "".
func (p *Proxy) Injected(action string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if action != "" {
		return p.injected[action]
	}
	n := 0
	for _, v := range p.injected {
		n += v
	}
	return n
}

// MaxItems lists the MaxItems parameter of each authorization details
// request.
func (p *Proxy) MaxItems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.maxItems...)
}

// operation names the API operation of a request: query protocols (IAM,
// STS) carry it in the form's Action, JSON ones (Organizations) in the
// X-Amz-Target header.
func operation(r *http.Request, body []byte) (string, url.Values) {
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		return target[strings.LastIndex(target, ".")+1:], nil
	}
	form, _ := url.ParseQuery(string(body))
	return form.Get("Action"), form
}

func writeFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	if r.Header.Get("X-Amz-Target") != "" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Errortype", f.Code)
		w.WriteHeader(f.Status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": f.Code, "message": f.Message})
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(f.Status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>injected</RequestId></ErrorResponse>`,
		f.Code, xmlEscape(f.Message))
}

// writeGAADPage answers one page of synthetic users: the Marker is the
// index of the page's first user.
func (p *Proxy) writeGAADPage(w http.ResponseWriter, form url.Values) {
	first, _ := strconv.Atoi(form.Get("Marker"))
	size, err := strconv.Atoi(form.Get("MaxItems"))
	if err != nil || size <= 0 {
		size = 100 // IAM's default page size
	}
	end := min(first+size, p.GAADUsers)
	var b strings.Builder
	b.WriteString(`<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult>`)
	if end < p.GAADUsers {
		fmt.Fprintf(&b, "<IsTruncated>true</IsTruncated><Marker>%d</Marker>", end)
	} else {
		b.WriteString("<IsTruncated>false</IsTruncated>")
	}
	b.WriteString("<UserDetailList>")
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	for i := first; i < end; i++ {
		fmt.Fprintf(&b, `<member><Path>/</Path><UserName>user%05d</UserName><UserId>AIDA%016d</UserId><Arn>arn:aws:iam::123456789012:user/user%05d</Arn><CreateDate>%s</CreateDate><GroupList/><AttachedManagedPolicies/><UserPolicyList/></member>`,
			i, i, i, created)
	}
	b.WriteString("</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>")
	b.WriteString(`</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>synthetic</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>`)
	w.Header().Set("Content-Type", "text/xml")
	_, _ = io.WriteString(w, b.String())
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
