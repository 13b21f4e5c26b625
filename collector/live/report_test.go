package live

import (
	"encoding/base64"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/iamscan/iamscan/internal/mototest"
	"github.com/iamscan/iamscan/snapshot"
)

var generatedTimeElement = regexp.MustCompile(`<GeneratedTime>[^<]*</GeneratedTime>`)

// A credential report generated a little before the collection (AWS
// hands out reports up to four hours old) dates the document: rules
// measure ages from the time the data describes. moto always answers
// 2015, so the proxy rewrites moto's answer with a realistic time.
func TestCollectedAtIsTheReportsGenerationTime(t *testing.T) {
	endpoint := mototest.URL(t)
	populate(t, adminClient(t, endpoint))
	for _, c := range []struct {
		name      string
		age       time.Duration
		plausible bool
	}{
		{"generated two hours before", 2 * time.Hour, true},
		{"generated 30 hours before", 30 * time.Hour, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			proxy := mototest.NewProxy(t, endpoint)
			proxy.GAADUsers = 1
			generated := time.Now().UTC().Add(-c.age).Truncate(time.Second)
			proxy.Rewrite = func(call mototest.Call, body []byte) []byte {
				if call.Action != "GetCredentialReport" {
					return body
				}
				return generatedTimeElement.ReplaceAll(body, []byte("<GeneratedTime>"+generated.Format(time.RFC3339)+"</GeneratedTime>"))
			}
			before := time.Now()
			res := collectMoto(t, proxy.URL, Options{})
			if res.Incomplete() {
				t.Fatalf("incomplete: %+v", res.Raw.Collection.Errors)
			}
			if got := path(t, rawJSON(t, res), "CredentialReport", "GeneratedTime"); got != generated.Format(time.RFC3339) {
				t.Fatalf("the rewrite did not reach the document: GeneratedTime %v", got)
			}
			at := res.Raw.CollectedAt
			if c.plausible && !at.Equal(generated) {
				t.Errorf("CollectedAt = %v, want the report's generation time %v", at, generated)
			}
			if !c.plausible && (at.Before(before.Add(-time.Second)) || at.After(time.Now())) {
				t.Errorf("CollectedAt = %v, want the collection's own time for a report %s old", at, c.age)
			}
			// The scan measures from the same time.
			if snap := loadRaw(t, res); !snap.CollectedAt.Equal(at) {
				t.Errorf("snapshot CollectedAt = %v, document %v", snap.CollectedAt, at)
			}
		})
	}
}

// shortReportWait makes the credential report's polling quick for a test.
func shortReportWait(t *testing.T, first time.Duration) {
	old := reportFirstDelay
	reportFirstDelay = first
	t.Cleanup(func() { reportFirstDelay = old })
}

// reportCSV is a one-user credential report, base64 as the API sends it.
func reportCSV() string {
	return base64.StdEncoding.EncodeToString([]byte(
		"user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n" +
			"alice,arn:aws:iam::123456789012:user/alice,2026-01-01T00:00:00+00:00,true,N/A,2026-01-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"))
}

// The credential report is polled while it is being generated, with a
// delay that doubles; GetCredentialReport answering that the report is
// in progress, not present or expired (another client regenerated it)
// goes back to polling. None of this is an error.
func TestCredentialReportPolling(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	shortReportWait(t, 50*time.Millisecond)
	generated := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)

	var mu sync.Mutex
	var times []time.Time // of every report request, in order
	var order []string
	proxy.Fault = func(c mototest.Call) *mototest.Fault {
		if c.Action != "GenerateCredentialReport" && c.Action != "GetCredentialReport" {
			return nil
		}
		mu.Lock()
		times = append(times, time.Now())
		order = append(order, c.Action)
		mu.Unlock()
		if c.Action == "GetCredentialReport" {
			switch c.Attempt {
			case 1:
				return &mototest.Fault{Status: 404, Code: "ReportInProgress", Message: "Report generation in progress"}
			case 2:
				return &mototest.Fault{Status: 410, Code: "ReportNotPresent", Message: "Report not present"}
			case 3:
				return &mototest.Fault{Status: 410, Code: "ReportExpired", Message: "Report expired"}
			}
		}
		return nil
	}
	proxy.Reply = func(c mototest.Call) *mototest.Reply {
		switch c.Action {
		case "GenerateCredentialReport":
			state := "COMPLETE"
			if c.Attempt <= 2 {
				state = "STARTED"
			}
			return mototest.IAMReply(c.Action, "<State>"+state+"</State><Description>test</Description>")
		case "GetCredentialReport":
			return mototest.IAMReply(c.Action, "<Content>"+reportCSV()+"</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>"+
				generated.Format(time.RFC3339)+"</GeneratedTime>")
		}
		return nil
	}
	res := collectMoto(t, proxy.URL, Options{})
	if res.Incomplete() {
		t.Fatalf("incomplete: %+v", res.Raw.Collection.Errors)
	}
	const G, R = "GenerateCredentialReport", "GetCredentialReport"
	want := []string{G, G, G, R, G, R, G, R, G, R}
	if !slices.Equal(order, want) {
		t.Fatalf("requests %v\nwant     %v", order, want)
	}
	// A wait precedes every request after a STARTED or a retryable
	// refusal, doubling each time: 50, 100, 200, 400, 800 ms.
	waits := map[int]time.Duration{1: 50, 2: 100, 4: 200, 6: 400, 8: 800}
	for i := 1; i < len(times); i++ {
		gap := times[i].Sub(times[i-1])
		if w, ok := waits[i]; ok && gap < w*time.Millisecond {
			t.Errorf("request %d (%s) came %s after the previous one, want at least %dms", i+1, order[i], gap, w)
		}
	}
	calls := callCounts(res)
	if calls[G] != 6 || calls[R] != 4 {
		t.Errorf("recorded %d %s and %d %s calls, want 6 and 4", calls[G], G, calls[R], R)
	}
	if got := toStrings(path(t, rawJSON(t, res), "CredentialReport", "Lines")); len(got) != 2 || got[1][:6] != "alice," {
		t.Errorf("credential report lines = %v", got)
	}
	if !res.Raw.CollectedAt.Equal(generated) {
		t.Errorf("CollectedAt = %v, want the report's generation time %v", res.Raw.CollectedAt, generated)
	}
}

// A report never ready is given up after ReportTimeout: recorded with
// the data it leaves out; the rest of the account is collected.
func TestCredentialReportTimeout(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	shortReportWait(t, 50*time.Millisecond)
	proxy.Reply = func(c mototest.Call) *mototest.Reply {
		if c.Action == "GenerateCredentialReport" {
			return mototest.IAMReply(c.Action, "<State>INPROGRESS</State>")
		}
		return nil
	}
	start := time.Now()
	res := collectMoto(t, proxy.URL, Options{ReportTimeout: 500 * time.Millisecond})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the collection took %s with a 500ms report timeout", took)
	}
	want := []CallError{{Operation: "GenerateCredentialReport", Code: "ReportTimeout",
		Message: "the credential report was not ready after 500ms", Missing: []snapshot.Data{snapshot.DataCredentialReport}}}
	if !slices.EqualFunc(res.Raw.Collection.Errors, want, equalCallError) {
		t.Errorf("Errors = %+v\nwant %+v", res.Raw.Collection.Errors, want)
	}
	if !res.Incomplete() || res.Stopped != nil {
		t.Errorf("incomplete %v, stopped %v; want incomplete, not stopped (the collection went on)", res.Incomplete(), res.Stopped)
	}
	// 50, 100, 200 ms waits fit in 500 ms: four or five polls, not more.
	if n := proxy.Requests("GenerateCredentialReport"); n < 3 || n > 6 {
		t.Errorf("%d GenerateCredentialReport requests in 500ms with waits doubling from 50ms", n)
	}
	keys := topKeys(t, res)
	if slices.Contains(keys, "CredentialReport") || !slices.Contains(keys, "AuthorizationDetails") || !slices.Contains(keys, "PasswordPolicy") {
		t.Errorf("document keys %v: want everything but the credential report", keys)
	}
}

// The authorization details are asked for every entity type at once.
func TestAuthorizationDetailsFilter(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	var filters [][]string
	proxy.Fault = func(c mototest.Call) *mototest.Fault {
		if c.Action == "GetAccountAuthorizationDetails" {
			var f []string
			for i := 1; c.Params.Has("Filter.member." + strconv.Itoa(i)); i++ {
				f = append(f, c.Params.Get("Filter.member."+strconv.Itoa(i)))
			}
			filters = append(filters, f)
		}
		return nil
	}
	collectMoto(t, proxy.URL, Options{})
	want := []string{"AWSManagedPolicy", "Group", "LocalManagedPolicy", "Role", "User"}
	if len(filters) != 1 {
		t.Fatalf("%d authorization details requests, want 1", len(filters))
	}
	got := slices.Sorted(slices.Values(filters[0]))
	if !slices.Equal(got, want) {
		t.Errorf("Filter = %v, want all five entity types %v", filters[0], want)
	}
}
