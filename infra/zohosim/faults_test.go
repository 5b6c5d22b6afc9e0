package zohosim

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func mustFault(t *testing.T, sim *Sim, f Fault) string {
	t.Helper()
	id, err := sim.AddFault(f)
	if err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	return id
}

func TestFaultNextCallsAnswer429(t *testing.T) {
	h := newHarness(t, Config{})
	mustFault(t, h.sim, Fault{Endpoint: "upsert", Action: FaultStatus, Status: 429, Count: 2})
	mustWrite(h, "POST", "/crm/v8/Leads", leads(1, "i"), 201)
	for i := range 2 {
		if status, body := h.call("POST", "/crm/v8/Leads/upsert", leads(1, "u")); status != 429 || body["code"] != "TOO_MANY_REQUESTS" {
			t.Errorf("upsert %d: %d %v, want 429", i+1, status, body["code"])
		}
	}
	mustWrite(h, "POST", "/crm/v8/Leads/upsert", leads(1, "u"), 200)
	if got := h.sim.Stats().CreditsUsed; got != 2 {
		t.Errorf("credits used = %d, want 2 (faulted calls cost nothing)", got)
	}
	if len(h.sim.Faults()) != 0 {
		t.Errorf("spent fault still listed: %v", h.sim.Faults())
	}
}

func TestFaultRecordLockedRate(t *testing.T) {
	h := newHarness(t, Config{Seed: 7})
	mustFault(t, h.sim, Fault{Endpoint: "write", Action: FaultRecordError, Code: "RECORD_LOCKED", Rate: 0.05})
	locked := 0
	for i := range 10 {
		_, body := h.call("POST", "/crm/v8/Leads", leads(100, string(rune('a'+i))))
		for _, c := range codes(t, body) {
			if c == "RECORD_LOCKED" {
				locked++
			}
		}
	}
	if locked < 20 || locked > 90 {
		t.Errorf("RECORD_LOCKED records = %d of 1000, want about 50", locked)
	}
	if got, want := h.sim.Stats().Records["Leads"], 1000-locked; got != want {
		t.Errorf("stored = %d, want %d (locked records are not written)", got, want)
	}
}

func TestFaultStatusForAWhile(t *testing.T) {
	h := newHarness(t, Config{Clock: fixedClock})
	mustFault(t, h.sim, Fault{Action: FaultStatus, Status: 500, For: 30 * time.Second})
	if status, body := h.call("POST", "/crm/v8/Leads", leads(1, "a")); status != 500 || body["code"] != "INTERNAL_ERROR" {
		t.Errorf("during the fault: %d %v", status, body["code"])
	}
	h.sim.Advance(30 * time.Second)
	mustWrite(h, "POST", "/crm/v8/Leads", leads(1, "b"), 201)
}

func TestFaultHangPastClientTimeout(t *testing.T) {
	for _, commit := range []bool{false, true} {
		h := newHarness(t, Config{})
		mustFault(t, h.sim, Fault{Endpoint: "insert", Action: FaultHang, Commit: commit, Count: 1})
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		_, err := http.DefaultClient.Do(h.request(ctx, "us", "Zoho-oauthtoken "+h.token, "POST", "/crm/v8/Leads", leads(1, "h")))
		cancel()
		if err == nil {
			t.Fatalf("commit=%v: call answered, want a client timeout", commit)
		}
		want := 0
		if commit {
			want = 1
		}
		if got := h.sim.Stats().Records["Leads"]; got != want {
			t.Errorf("commit=%v: records = %d, want %d", commit, got, want)
		}
	}
}

func TestFaultDropAfterCommit(t *testing.T) {
	h := newHarness(t, Config{})
	mustFault(t, h.sim, Fault{Endpoint: "upsert", Action: FaultDrop, Commit: true, Count: 1})
	_, err := http.DefaultClient.Do(h.request(context.Background(), "us", "Zoho-oauthtoken "+h.token, "POST", "/crm/v8/Leads/upsert", leads(1, "d")))
	if err == nil {
		t.Fatal("dropped call answered")
	}
	if got := h.sim.Stats().Records["Leads"]; got != 1 {
		t.Errorf("records = %d, want 1 (written before the drop)", got)
	}
}

func TestFaultInvalidateTokens(t *testing.T) {
	h := newHarness(t, Config{})
	mustFault(t, h.sim, Fault{Action: FaultInvalidateTokens, After: 1, Count: 1})
	mustWrite(h, "POST", "/crm/v8/Leads", leads(1, "a"), 201)
	if status, body := h.call("POST", "/crm/v8/Leads", leads(1, "b")); status != 401 || body["code"] != "INVALID_TOKEN" {
		t.Errorf("after invalidation: %d %v", status, body["code"])
	}
	h.token = h.mint("us")
	mustWrite(h, "POST", "/crm/v8/Leads", leads(1, "c"), 201)
	if n := h.sim.InvalidateAllTokens(); n != 1 {
		t.Errorf("InvalidateAllTokens = %d, want 1", n)
	}
}

func TestFaultMixed(t *testing.T) {
	h := newHarness(t, Config{})
	mustFault(t, h.sim, Fault{Endpoint: "insert", Action: FaultMixed, Codes: []string{"INVALID_DATA", "RECORD_LOCKED"}})
	status, body := h.call("POST", "/crm/v8/Leads", leads(5, "m"))
	if status != 207 {
		t.Errorf("status = %d, want 207", status)
	}
	want := []string{"SUCCESS", "INVALID_DATA", "SUCCESS", "RECORD_LOCKED", "SUCCESS"}
	if got := codes(t, body); !reflect.DeepEqual(got, want) {
		t.Errorf("codes = %v, want %v", got, want)
	}
	h.sim.ClearFaults()
	mustFault(t, h.sim, Fault{Endpoint: "insert", Action: FaultMixed})
	_, body = h.call("POST", "/crm/v8/Leads", leads(2*len(recordFaultCodes), "n"))
	seen := map[string]bool{}
	for _, c := range codes(t, body) {
		seen[c] = true
	}
	for _, c := range recordFaultCodes {
		if !seen[c] {
			t.Errorf("default mix lacks %s", c)
		}
	}
}

func TestFaultCompositeTimeoutAfterCommit(t *testing.T) {
	h := newHarness(t, Config{})
	mustFault(t, h.sim, Fault{Endpoint: "composite", Action: FaultStatus, Code: "REQUEST_TIMEOUT", Commit: true})
	status, body := h.call("POST", compositePath, composite(false, sub("a", "POST", "/crm/v8/Leads", leads(1, "a"))))
	if status != 504 || body["code"] != "REQUEST_TIMEOUT" {
		t.Errorf("got %d %v, want 504 REQUEST_TIMEOUT", status, body["code"])
	}
	if got := h.sim.Stats().Records["Leads"]; got != 1 {
		t.Errorf("records = %d, want 1: the sub-request ran", got)
	}
}

func TestFaultOnTokenEndpoint(t *testing.T) {
	h := newHarness(t, Config{})
	mustFault(t, h.sim, Fault{Endpoint: "token", DC: "eu", Action: FaultStatus, Status: 503, Count: 1})
	refresh := h.sim.SeedRefreshToken("eu", testClientID)
	if status, _ := h.tokenCall("eu", tokenForm("refresh_token", "refresh_token", refresh)); status != 503 {
		t.Errorf("token call during fault: %d, want 503", status)
	}
	if status, body := h.tokenCall("eu", tokenForm("refresh_token", "refresh_token", refresh)); status != 200 || body["access_token"] == nil {
		t.Errorf("token call after fault: %d %v", status, body)
	}
}

func TestFaultValidation(t *testing.T) {
	cases := []Fault{
		{Action: "explode"},
		{Action: FaultStatus, Endpoint: "delete"},
		{Action: FaultStatus, Rate: 1.5},
		{Action: FaultStatus, Status: 200},
		{Action: FaultRecordError, Code: "NOPE"},
		{Action: FaultStatus, DC: "mars"},
		{Action: FaultHang, Delay: -time.Second},
	}
	sim := mustNew(t, Config{})
	for _, f := range cases {
		if _, err := sim.AddFault(f); err == nil {
			t.Errorf("AddFault(%+v) accepted", f)
		}
	}
}

func TestFaultListAndRemove(t *testing.T) {
	sim := mustNew(t, Config{})
	id := mustFault(t, sim, Fault{Action: FaultStatus})
	mustFault(t, sim, Fault{ID: "mine", Action: FaultHang})
	if got := len(sim.Faults()); got != 2 {
		t.Fatalf("faults = %d, want 2", got)
	}
	if !sim.RemoveFault(id) || sim.RemoveFault(id) {
		t.Error("RemoveFault: want true then false")
	}
	if f := sim.Faults(); len(f) != 1 || f[0].ID != "mine" {
		t.Errorf("faults = %+v", f)
	}
}
