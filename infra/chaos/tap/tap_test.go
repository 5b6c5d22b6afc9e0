package tap

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/zohosim"
)

// rig is a simulator with the tap in front and a connected client.
type rig struct {
	sim    *zohosim.Sim
	tap    *Tap
	access string
	secret string
	code   string
}

func emailKey(module string, f map[string]any) (string, bool) {
	s, ok := f["Email"].(string)
	return module + "|" + s, ok && s != ""
}

func newRig(t *testing.T) *rig {
	t.Helper()
	sim, err := zohosim.New(zohosim.Config{DataCenters: []string{"us"}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	tp, err := Start(srv.AccountsURL("us"), emailKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tp.Close() })
	r := &rig{sim: sim, tap: tp, secret: "tap-test-client-secret"}
	if err := sim.AddClient("us", "1000.TAPTEST", r.secret); err != nil {
		t.Fatal(err)
	}
	r.code = sim.GrantCode("us", "1000.TAPTEST", "")
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {"1000.TAPTEST"},
		"client_secret": {r.secret}, "code": {r.code}}
	resp, err := http.PostForm(tp.URL()+"/oauth/v2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		Access    string `json:"access_token"`
		Refresh   string `json:"refresh_token"`
		APIDomain string `json:"api_domain"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.Access == "" {
		t.Fatalf("token answer: %v %+v", err, tok)
	}
	if tok.APIDomain != tp.URL() {
		t.Fatalf("api_domain = %q, want the tap's %q", tok.APIDomain, tp.URL())
	}
	r.access = tok.Access
	return r
}

// post sends body to path with the access token and returns the status,
// or -1 when no answer came.
func (r *rig) post(t *testing.T, path, body string, timeout time.Duration) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", r.tap.URL()+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Zoho-oauthtoken "+r.access)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func contacts(emails ...string) string {
	var recs []string
	for _, e := range emails {
		recs = append(recs, fmt.Sprintf(`{"Last_Name":"T","Email":%q}`, e))
	}
	return `{"data":[` + strings.Join(recs, ",") + `],"duplicate_check_fields":["Email"]}`
}

func TestTapKeepsTheCredentials(t *testing.T) {
	r := newRig(t)
	r.post(t, "/crm/v8/Contacts/upsert", contacts("a@example.com"), 5*time.Second)
	got := map[string]bool{}
	for _, s := range r.tap.Secrets() {
		got[s] = true
	}
	for name, want := range map[string]string{"access token": r.access, "client secret": r.secret,
		"grant code": r.code, "Authorization header": "Zoho-oauthtoken " + r.access} {
		if !got[want] {
			t.Errorf("Secrets() lacks the %s", name)
		}
	}
	if len(got) < 5 {
		t.Errorf("Secrets() has %d values, want at least 5 (with the refresh token)", len(got))
	}
	if st := r.tap.Stats(); st.Mints != 1 || st.TokenCalls != 1 {
		t.Errorf("mints %d, token calls %d; want 1 and 1", st.Mints, st.TokenCalls)
	}
}

func TestTapAttributesCodesToRecords(t *testing.T) {
	cases := []struct {
		name    string
		fault   zohosim.Fault
		timeout time.Duration
		path    string
		body    string
		want    map[string]string // record key -> code
		status  int
	}{
		{name: "success", path: "/crm/v8/Contacts/upsert", body: contacts("s1@example.com", "s2@example.com"),
			want:   map[string]string{"Contacts|s1@example.com": "SUCCESS", "Contacts|s2@example.com": "SUCCESS"},
			status: 200, timeout: 5 * time.Second},
		{name: "one record refused", fault: zohosim.Fault{Endpoint: "upsert", Action: zohosim.FaultRecordError,
			Code: "INVALID_DATA", After: 1, Count: 1}, path: "/crm/v8/Contacts/upsert",
			body:   contacts("r1@example.com", "r2@example.com"),
			want:   map[string]string{"Contacts|r1@example.com": "SUCCESS", "Contacts|r2@example.com": "INVALID_DATA"},
			status: 207, timeout: 5 * time.Second},
		{name: "429 for the whole call", fault: zohosim.Fault{Endpoint: "api", Action: zohosim.FaultStatus,
			Code: "TOO_MANY_REQUESTS", Count: 1}, path: "/crm/v8/Contacts/upsert", body: contacts("q@example.com"),
			want: map[string]string{"Contacts|q@example.com": "TOO_MANY_REQUESTS"}, status: 429, timeout: 5 * time.Second},
		{name: "500 without a code", fault: zohosim.Fault{Endpoint: "api", Action: zohosim.FaultStatus,
			Status: 500, Count: 1}, path: "/crm/v8/Contacts/upsert", body: contacts("f@example.com"),
			want: map[string]string{"Contacts|f@example.com": "INTERNAL_ERROR"}, status: 500, timeout: 5 * time.Second},
		{name: "hang past the client's timeout", fault: zohosim.Fault{Endpoint: "api", Action: zohosim.FaultHang, Count: 1},
			path: "/crm/v8/Contacts/upsert", body: contacts("h@example.com"),
			want: map[string]string{"Contacts|h@example.com": CodeGaveUp}, status: -1, timeout: 300 * time.Millisecond},
		{name: "dropped connection", fault: zohosim.Fault{Endpoint: "api", Action: zohosim.FaultDrop, Count: 1},
			path: "/crm/v8/Contacts/upsert", body: contacts("d@example.com"),
			want: map[string]string{"Contacts|d@example.com": CodeDropped}, status: -1, timeout: 5 * time.Second},
		{name: "composite with a refused sub-request", fault: zohosim.Fault{Endpoint: "upsert",
			Action: zohosim.FaultRecordError, Code: "MANDATORY_NOT_FOUND", After: 1, Count: 1},
			path: "/crm/v8/__composite_requests",
			body: `{"rollback_on_fail":false,"parallel_execution":false,"__composite_requests":[` +
				`{"sub_request_id":"a","method":"POST","uri":"/crm/v8/Contacts/upsert","body":` + contacts("c1@example.com") + `},` +
				`{"sub_request_id":"b","method":"POST","uri":"/crm/v8/Leads/upsert","body":` + contacts("c2@example.com") + `}]}`,
			want:   map[string]string{"Contacts|c1@example.com": "SUCCESS", "Leads|c2@example.com": "MANDATORY_NOT_FOUND"},
			status: 200, timeout: 5 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			if c.fault.Action != "" {
				if _, err := r.sim.AddFault(c.fault); err != nil {
					t.Fatal(err)
				}
			}
			if got := r.post(t, c.path, c.body, c.timeout); got != c.status {
				t.Errorf("status = %d, want %d", got, c.status)
			}
			waitCalls(t, r.tap, 1)
			for key, want := range c.want {
				got := r.tap.Codes(key)
				if len(got) != 1 || got[want] != 1 {
					t.Errorf("Codes(%s) = %v, want {%s:1}", key, got, want)
				}
			}
		})
	}
}

// waitCalls waits until the tap has settled n API calls (an abandoned call
// settles when the upstream request ends, just after the client gave up).
func waitCalls(t *testing.T, tp *Tap, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for tp.Stats().Calls < n {
		if time.Now().After(deadline) {
			t.Fatalf("tap settled %d calls, want %d", tp.Stats().Calls, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTapCountsUnansweredCalls(t *testing.T) {
	r := newRig(t)
	r.sim.AddFault(zohosim.Fault{Endpoint: "api", Action: zohosim.FaultHang, Count: 1})
	r.post(t, "/crm/v8/Contacts/upsert", contacts("x@example.com"), 200*time.Millisecond)
	r.sim.AddFault(zohosim.Fault{Endpoint: "api", Action: zohosim.FaultDrop, Count: 1})
	r.post(t, "/crm/v8/Contacts/upsert", contacts("y@example.com"), 5*time.Second)
	waitCalls(t, r.tap, 2)
	if st := r.tap.Stats(); st.GaveUp != 1 || st.Dropped != 1 || len(st.ByStatus) != 0 {
		t.Errorf("gave up %d, dropped %d, answered %v; want 1, 1 and none", st.GaveUp, st.Dropped, st.ByStatus)
	}
}
