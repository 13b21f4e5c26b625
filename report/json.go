package report

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// JSONSchemaVersion is the version of the JSON report's shape
// (docs/report.schema.json). It changes only when a field is removed or
// changes meaning; added fields keep the version.
const JSONSchemaVersion = 1

// jsonReport documents the top-level shape; JSON writes its fields in
// this order, streaming the findings.
type jsonReport struct {
	SchemaVersion    int                        `json:"schemaVersion"`
	Tool             jsonTool                   `json:"tool"`
	Scan             jsonScan                   `json:"scan"`
	Summary          jsonSummary                `json:"summary"`
	Rules            []jsonRule                 `json:"rules"`
	RuleResults      []rules.RuleResult         `json:"ruleResults"`
	Findings         []rules.Finding            `json:"findings"`
	Problems         []policy.Problem           `json:"problems"`
	CollectionErrors []snapshot.CollectionError `json:"collectionErrors"`
	Warnings         []Warning                  `json:"warnings"`
	CIS              []Matrix                   `json:"cis"`
}

// jsonRule is a rule's metadata with its effective severity, and the
// rule's own severity when the configuration overrides it.
type jsonRule struct {
	rules.Meta
	DefaultSeverity rules.Severity `json:"defaultSeverity,omitzero"`
}

type jsonTool struct {
	Name           string        `json:"name"`
	Version        string        `json:"version"`
	InformationURI string        `json:"informationUri,omitempty"`
	Data           []DataVersion `json:"data"`
}

type jsonScan struct {
	AccountID     string           `json:"accountId"`
	Partition     string           `json:"partition"`
	CollectedAt   time.Time        `json:"collectedAt,omitzero"`
	AsOf          time.Time        `json:"asOf,omitzero"`
	GeneratedAt   time.Time        `json:"generatedAt,omitzero"`
	WallTimeMs    int64            `json:"wallTimeMs"`
	Inputs        []snapshot.Input `json:"inputs"`
	RuleSetDigest string           `json:"ruleSetDigest"`
}

type jsonSummary struct {
	Open       map[string]int `json:"open"` // severity name → count
	OpenTotal  int            `json:"openTotal"`
	Suppressed int            `json:"suppressed"`
	Rules      map[string]int `json:"rules"` // status → count
	Problems   int            `json:"problems"`
}

// JSON writes the evidence report: everything in the Report plus a
// summary and the CIS control matrix, in the shape docs/report.schema.json
// describes.
func JSON(w io.Writer, r *Report) error {
	c := r.Count()
	sum := jsonSummary{Open: map[string]int{}, OpenTotal: c.OpenTotal, Suppressed: c.Suppressed, Rules: map[string]int{}, Problems: len(r.Problems)}
	for _, s := range severitiesDesc {
		sum.Open[s.String()] = c.Open[s]
	}
	for _, st := range statuses {
		sum.Rules[string(st)] = 0
	}
	for _, rr := range r.Results {
		sum.Rules[string(rr.Status)]++
	}
	tool := jsonTool{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: r.Tool.InformationURI, Data: orEmpty(r.Tool.Data)}
	scan := jsonScan{
		AccountID: r.Scan.AccountID, Partition: r.Scan.Partition,
		CollectedAt: r.Scan.CollectedAt.UTC(), AsOf: r.Scan.AsOf.UTC(), GeneratedAt: r.Scan.GeneratedAt.UTC(),
		WallTimeMs: r.Scan.WallTime.Milliseconds(), Inputs: orEmpty(r.Scan.Inputs), RuleSetDigest: r.Scan.RuleSetDigest,
	}
	// The document is written field by field so that the findings, the
	// only part that grows with the account, stream through a small
	// buffer instead of one that holds the whole report. encoding/json
	// escapes <, > and &, which keeps the file safe to paste into HTML.
	// Compact: `jq .` indents for a reader.
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	field := func(name string, v any) error {
		bw.WriteString(name)
		return enc.Encode(v)
	}
	bw.WriteString(`{"schemaVersion":`)
	for _, f := range []struct {
		name string
		v    any
	}{
		{``, JSONSchemaVersion},
		{`,"tool":`, tool},
		{`,"scan":`, scan},
		{`,"summary":`, sum},
		{`,"rules":`, jsonRules(r)},
		{`,"ruleResults":`, orEmpty(r.Results)},
	} {
		if err := field(f.name, f.v); err != nil {
			return err
		}
	}
	bw.WriteString(`,"findings":[`)
	var buf []byte
	for i := range r.Findings {
		if i > 0 {
			bw.WriteByte(',')
		}
		var err error
		if buf, err = appendFinding(buf[:0], &r.Findings[i]); err != nil {
			return err
		}
		bw.Write(buf)
	}
	bw.WriteByte(']')
	for _, f := range []struct {
		name string
		v    any
	}{
		{`,"problems":`, orEmpty(r.Problems)},
		{`,"collectionErrors":`, orEmpty(r.CollectionErrors)},
		{`,"warnings":`, orEmpty(r.Warnings)},
		{`,"cis":`, CISMatrix(r)},
	} {
		if err := field(f.name, f.v); err != nil {
			return err
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

func jsonRules(r *Report) []jsonRule {
	out := make([]jsonRule, len(r.Rules))
	for i, m := range r.Rules {
		out[i] = jsonRule{Meta: m, DefaultSeverity: r.DefaultSeverity[m.ID]}
	}
	return out
}

// orEmpty makes a nil slice an empty one so that JSON shows [] (the
// schema's arrays are required), never null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// appendFinding appends f as enc.Encode(f) writes it, newline included
// (see jsonenc.go; TestAppendFindingMatchesEncodingJSON keeps the two
// and the struct's fields in step).
func appendFinding(dst []byte, f *rules.Finding) ([]byte, error) {
	str := func(name, v string, omitEmpty bool) {
		if v != "" || !omitEmpty {
			dst = append(dst, name...)
			dst = appendJSONString(dst, v)
		}
	}
	num := func(name string, v int) {
		if v != 0 {
			dst = append(dst, name...)
			dst = strconv.AppendInt(dst, int64(v), 10)
		}
	}
	str(`{"ruleId":`, f.RuleID, false)
	str(`,"severity":`, f.Severity.String(), false)
	str(`,"resource":`, f.Resource, false)
	str(`,"principal":`, f.Principal, true)
	str(`,"policy":`, f.Policy, true)
	str(`,"sid":`, f.Sid, true)
	str(`,"message":`, f.Message, false)
	dst = append(dst, `,"location":{`...)
	mark := len(dst)
	l := &f.Location
	str(`,"file":`, l.File, true)
	num(`,"line":`, l.Line)
	num(`,"col":`, l.Col)
	num(`,"endLine":`, l.EndLine)
	num(`,"endCol":`, l.EndCol)
	if len(dst) > mark {
		// The first member's comma.
		dst = append(dst[:mark], dst[mark+1:]...)
	}
	dst = append(dst, '}')
	str(`,"fingerprint":`, f.Fingerprint, false)
	if s := f.Suppression; s != nil {
		str(`,"suppression":{"reason":`, s.Reason, false)
		if !s.Expires.IsZero() {
			t, err := s.Expires.MarshalJSON()
			if err != nil {
				return nil, err
			}
			dst = append(dst, `,"expires":`...)
			dst = append(dst, t...)
		}
		str(`,"source":`, s.Source, true)
		dst = append(dst, '}')
	}
	return append(dst, "}\n"...), nil
}
