package zohosim

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"
)

// holdCalls starts calls that a hang fault keeps in flight until the
// returned stop func cancels them. It waits until the simulator counts
// wantUnits in flight.
func holdCalls(t *testing.T, h *harness, token string, calls []heldCall, wantUnits int) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, c := range calls {
		raw, _ := json.Marshal(c.body)
		req, err := http.NewRequestWithContext(ctx, "POST", h.srv.APIURL("us")+c.path, bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for h.sim.Stats().InFlight < wantUnits {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("in flight = %d, want %d", h.sim.Stats().InFlight, wantUnits)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

type heldCall struct {
	path string
	body any
}

func repeatCall(n int, c heldCall) []heldCall {
	out := make([]heldCall, n)
	for i := range out {
		out[i] = c
	}
	return out
}

func TestConcurrencyLimitByEdition(t *testing.T) {
	for _, tc := range []struct {
		edition string
		want    int
	}{{"free", 5}, {"standard", 10}, {"starter", 10}, {"professional", 15}, {"enterprise", 20}, {"zohoone", 20}, {"ultimate", 25}, {"crmplus", 25}} {
		sim := mustNew(t, Config{Edition: tc.edition})
		if sim.limiter.limit != tc.want || sim.limiter.subLimit != 10 {
			t.Errorf("%s: limits %d/%d, want %d/10", tc.edition, sim.limiter.limit, sim.limiter.subLimit, tc.want)
		}
	}
}

func TestConcurrencyRefusesExcessAtOnce(t *testing.T) {
	h := newHarness(t, Config{Edition: "free"})
	if _, err := h.sim.AddFault(Fault{Endpoint: "insert", Action: FaultHang}); err != nil {
		t.Fatal(err)
	}
	stop := holdCalls(t, h, h.token, repeatCall(5, heldCall{"/crm/v8/Leads", leads(1, "x")}), 5)
	defer stop()
	start := time.Now()
	status, body := h.call("POST", "/crm/v8/Leads/upsert", leads(1, "y"))
	if status != 429 || body["code"] != "TOO_MANY_REQUESTS" {
		t.Errorf("6th call: %d %v, want 429 TOO_MANY_REQUESTS", status, body["code"])
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("refusal took %v: calls must not queue", waited)
	}
	st := h.sim.Stats()
	if st.MaxInFlight != 5 || st.Refused["concurrency"] != 1 {
		t.Errorf("max in flight %d, refused %v; want 5 and 1 concurrency refusal", st.MaxInFlight, st.Refused)
	}
}

func TestSubConcurrencyForLargeWrites(t *testing.T) {
	h := newHarness(t, Config{Edition: "ultimate", SubConcurrency: 2})
	if _, err := h.sim.AddFault(Fault{Endpoint: "insert", Action: FaultHang, Count: 2}); err != nil {
		t.Fatal(err)
	}
	stop := holdCalls(t, h, h.token, []heldCall{{"/crm/v8/Leads", leads(11, "a")}, {"/crm/v8/Leads", leads(11, "b")}}, 2)
	defer stop()
	if status, _ := h.call("POST", "/crm/v8/Leads", leads(11, "c")); status != 429 {
		t.Errorf("third write of 11 records: %d, want 429", status)
	}
	if status, _ := h.call("POST", "/crm/v8/Leads", leads(10, "d")); status != 201 {
		t.Errorf("write of 10 records: %d, want 201 (outside the sub-concurrency group)", status)
	}
	st := h.sim.Stats()
	if st.MaxSubInFlight != 2 || st.Refused["sub_concurrency"] != 1 {
		t.Errorf("max sub in flight %d, refused %v", st.MaxSubInFlight, st.Refused)
	}
}

func TestCompositeHoldsFiveUnits(t *testing.T) {
	h := newHarness(t, Config{Edition: "free"})
	if _, err := h.sim.AddFault(Fault{Endpoint: "composite", Action: FaultHang, Count: 1}); err != nil {
		t.Fatal(err)
	}
	body := composite(false, sub("a", "POST", "/crm/v8/Leads", leads(1, "a")))
	stop := holdCalls(t, h, h.token, []heldCall{{"/crm/v8/__composite_requests", body}}, 5)
	defer stop()
	if status, _ := h.call("POST", "/crm/v8/Leads", leads(1, "b")); status != 429 {
		t.Errorf("write beside a composite on Free: %d, want 429", status)
	}
	if got := h.sim.Stats().SubInFlight; got != 1 {
		t.Errorf("sub in flight = %d, want 1", got)
	}
}

func TestConcurrencyKeyPerClient(t *testing.T) {
	h := newHarness(t, Config{Edition: "free", Unconfirmed: Unconfirmed{ConcurrencyKey: "client"}})
	if err := h.sim.AddClient("us", "other-app", "s2"); err != nil {
		t.Fatal(err)
	}
	refresh := h.sim.SeedRefreshToken("us", "other-app")
	_, tokBody := h.tokenCall("us", tokenForm("refresh_token", "refresh_token", refresh, "client_id", "other-app", "client_secret", "s2"))
	other, _ := tokBody["access_token"].(string)
	if _, err := h.sim.AddFault(Fault{Endpoint: "insert", Action: FaultHang, Count: 5}); err != nil {
		t.Fatal(err)
	}
	stop := holdCalls(t, h, h.token, repeatCall(5, heldCall{"/crm/v8/Leads", leads(1, "x")}), 5)
	defer stop()
	if status, _, _ := h.callWith("us", "Zoho-oauthtoken "+other, "POST", "/crm/v8/Leads", leads(1, "y"), nil); status != 201 {
		t.Errorf("other app while the first is at its limit: %d, want 201", status)
	}
	if status, _ := h.call("POST", "/crm/v8/Leads", leads(1, "z")); status != 429 {
		t.Errorf("first app over its limit: %d, want 429", status)
	}
}
