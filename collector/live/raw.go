package live

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/iamscan/iamscan/jsonpos"
	"github.com/iamscan/iamscan/snapshot"
)

// Raw document identity (docs/raw-format.md).
const (
	RawFormat        = "iamscan-raw"
	RawFormatVersion = 1
)

// Raw is iamscan's raw document for one account. Each AWS section is kept
// as encoded JSON: nil means "not collected" (the key is left out), the
// literal null means "collected, and there is none".
type Raw struct {
	Format         string          `json:"Format"`
	FormatVersion  int             `json:"FormatVersion"`
	Collector      CollectorInfo   `json:"Collector"`
	AccountID      string          `json:"AccountId"`
	Partition      string          `json:"Partition"`
	CollectedAt    time.Time       `json:"CollectedAt"`
	Caller         *Caller         `json:"Caller,omitempty"`
	AccountAliases json.RawMessage `json:"AccountAliases,omitempty"`

	AuthorizationDetails   json.RawMessage `json:"AuthorizationDetails,omitempty"`
	CredentialReport       json.RawMessage `json:"CredentialReport,omitempty"`
	PasswordPolicy         json.RawMessage `json:"PasswordPolicy,omitempty"`
	AccountSummary         json.RawMessage `json:"AccountSummary,omitempty"`
	VirtualMFADevices      json.RawMessage `json:"VirtualMFADevices,omitempty"`
	OpenIDConnectProviders json.RawMessage `json:"OpenIDConnectProviders,omitempty"`
	SAMLProviders          json.RawMessage `json:"SAMLProviders,omitempty"`
	ServerCertificates     json.RawMessage `json:"ServerCertificates,omitempty"`
	OrganizationPolicies   json.RawMessage `json:"OrganizationPolicies,omitempty"`

	Collection Collection `json:"Collection"`
}

// CollectorInfo names the program that wrote the document.
type CollectorInfo struct {
	Tool           string `json:"Tool"`
	Version        string `json:"Version"`
	CatalogVersion string `json:"CatalogVersion,omitempty"`
}

// Caller is sts:GetCallerIdentity's answer.
type Caller struct {
	Account string `json:"Account"`
	Arn     string `json:"Arn"`
	UserID  string `json:"UserId"`
}

// Collection says which calls were made and which failed.
type Collection struct {
	Calls  []CallRecord `json:"Calls"`
	Errors []CallError  `json:"Errors"`
}

// CallRecord counts the calls of one operation (pages included); Error is
// the last error it returned, if any.
type CallRecord struct {
	Operation string `json:"Operation"`
	Calls     int    `json:"Calls"`
	Error     string `json:"Error"`
}

// CallError is a call that failed and the data it leaves out.
type CallError struct {
	Operation string          `json:"Operation"`
	Code      string          `json:"Code"`
	Message   string          `json:"Message"`
	Missing   []snapshot.Data `json:"Missing"`
	// Expected marks failures that are normal for the caller's position
	// (a member account cannot read its organization's policies): they
	// leave data out but do not make the collection incomplete. Written
	// so that the document shows the refusal was not a gap of the audit.
	Expected bool `json:"Expected"`
}

// WriteRaw writes one account's raw document as indented JSON.
func WriteRaw(w io.Writer, r *Result) error {
	if r == nil || r.Raw == nil {
		return fmt.Errorf("no raw document to write")
	}
	b, err := json.MarshalIndent(r.Raw, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding raw document of account %s: %w", r.AccountID, err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// documentKeys are the members holding IAM policy documents in
// GetAccountAuthorizationDetails.
var documentKeys = map[string]bool{
	"PolicyDocument":           true,
	"AssumeRolePolicyDocument": true,
	"Document":                 true,
}

// secretKeys are never written: ListVirtualMFADevices does not return
// them, but a seed must not reach a report even if a future API does.
var secretKeys = map[string]bool{
	"Base32StringSeed": true,
	"QRCodePNG":        true,
}

// section encodes an SDK value the way the AWS CLI prints it: absent
// optional members are left out rather than written as null, secrets are
// dropped, and policy documents become JSON objects so that findings can
// point at the line of a statement. A document that does not decode to a
// JSON object is kept as the API returned it, for the loader to report.
//
// It rewrites encoding/json's compact output in one pass over a jsonpos
// tree, copying every scalar token as it is: no generic decoding, and
// members keep the SDK's order.
func section(v any) (json.RawMessage, error) {
	src, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	root, err := jsonpos.Parse(src)
	if err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, len(src)+len(src)/8))
	tidy(out, src, root)
	return out.Bytes(), nil
}

func tidy(w *bytes.Buffer, src []byte, v *jsonpos.Value) {
	switch v.Kind {
	case jsonpos.Object:
		w.WriteByte('{')
		first := true
		for i := range v.Members {
			m := &v.Members[i]
			if m.Value.Kind == jsonpos.Null || secretKeys[m.Key] {
				continue
			}
			if !first {
				w.WriteByte(',')
			}
			first = false
			// Compact input: the key token runs up to the ':' that
			// precedes the value.
			w.Write(src[m.KeyOff:m.Value.Off])
			if documentKeys[m.Key] && m.Value.Kind == jsonpos.String {
				if doc, ok := policyDocument(m.Value.Str).(json.RawMessage); ok {
					_ = json.Compact(w, doc)
					continue
				}
			}
			tidy(w, src, &m.Value)
		}
		w.WriteByte('}')
	case jsonpos.Array:
		w.WriteByte('[')
		for i := range v.Elems {
			if i > 0 {
				w.WriteByte(',')
			}
			tidy(w, src, &v.Elems[i])
		}
		w.WriteByte(']')
	default:
		w.Write(src[v.Off:v.End])
	}
}

// policyDocument decodes a document as IAM returns it. The API URL-encodes
// documents, but moto (and some proxies) return some as plain JSON, so
// only text that is not already a JSON object is URL-decoded, with
// PathUnescape: "+" is a literal plus in these documents, not a space.
func policyDocument(s string) any {
	text := strings.TrimSpace(s)
	if !strings.HasPrefix(text, "{") {
		decoded, err := url.PathUnescape(text)
		if err != nil {
			return s
		}
		text = strings.TrimSpace(decoded)
	}
	if !strings.HasPrefix(text, "{") || !json.Valid([]byte(text)) {
		return s
	}
	return json.RawMessage(text)
}
