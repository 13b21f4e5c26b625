package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/iamscan/iamscan/policy"
)

// Finding is one problem a rule found.
type Finding struct {
	RuleID   string   `json:"ruleId"`
	Severity Severity `json:"severity"`
	// Resource is the ARN of the thing that is wrong: the policy, the
	// principal, the group, or the account root.
	Resource string `json:"resource"`
	// Principal is the user or role the finding concerns, when there is
	// one (for the per-principal view); may equal Resource.
	Principal string `json:"principal,omitempty"`
	// Policy names the policy document, when the finding is inside one:
	// a managed policy ARN or "inline:NAME" / "trust".
	Policy string `json:"policy,omitempty"`
	// Sid of the statement, when the finding points at one.
	Sid string `json:"sid,omitempty"`
	// Message is stable across scans: it names the resource and the
	// threshold, never a measured value, so fingerprints survive.
	Message  string          `json:"message"`
	Location policy.Location `json:"location"`
	// Fingerprint identifies the finding across scans and line moves.
	Fingerprint string       `json:"fingerprint"`
	Suppression *Suppression `json:"suppression,omitempty"`
}

// Suppression records why a finding is accepted.
type Suppression struct {
	Reason  string    `json:"reason"`
	Expires time.Time `json:"expires,omitzero"`
	// Source is where the suppression is written (config file:line).
	Source string `json:"source,omitempty"`
}

// Suppressed reports whether the finding is suppressed.
func (f *Finding) Suppressed() bool { return f.Suppression != nil }

// fingerprint hashes what identifies a finding: rule, resource, policy,
// statement and message. Not the line: alerts must survive edits above.
func fingerprint(f *Finding, stmtIndex int) string {
	h := sha256.New()
	for _, s := range []string{f.RuleID, f.Resource, f.Policy, f.Sid, f.Message} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write([]byte{byte(stmtIndex), byte(stmtIndex >> 8)})
	return hex.EncodeToString(h.Sum(nil)[:12])
}
