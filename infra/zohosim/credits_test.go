package zohosim

import (
	"fmt"
	"testing"
	"time"
)

func TestCreditLimits(t *testing.T) {
	cases := []struct {
		cfg       Config
		wantBase  int64
		wantTotal int64
	}{
		{Config{Edition: "free", Users: 50}, 5000, 5000},
		{Config{Edition: "standard", Users: 10}, 52500, 52500},
		{Config{Edition: "standard", Users: 400}, 100000, 100000},
		{Config{Edition: "professional", Users: 10}, 55000, 55000},
		{Config{Edition: "enterprise", Users: 100}, 150000, 150000},
		{Config{Edition: "enterprise", Users: 10000}, 5000000, 5000000},
		{Config{Edition: "ultimate", Users: 10000}, 20050000, 20050000},
		{Config{Edition: "enterprise", Users: 10, AddOnCredits: 1000}, 60000, 61000},
		{Config{Edition: "enterprise", Users: 100, CreditBase: 15000, CreditCap: 1000000}, 115000, 115000},
		{Config{Edition: "standard", Users: 1000, CreditCap: -1}, 300000, 300000},
		{Config{DailyCredits: 7, AddOnCredits: 3}, 7, 10},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%+v", tc.cfg), func(t *testing.T) {
			cfg := tc.cfg.withDefaults()
			ed, err := lookupEdition(cfg.Edition)
			if err != nil {
				t.Fatal(err)
			}
			base, total := creditLimits(cfg, ed)
			if base != tc.wantBase || total != tc.wantTotal {
				t.Errorf("limits = %d/%d, want %d/%d", base, total, tc.wantBase, tc.wantTotal)
			}
		})
	}
}

func TestWriteCost(t *testing.T) {
	for _, tc := range []struct {
		records int
		want    int64
	}{{1, 1}, {9, 1}, {10, 1}, {11, 2}, {99, 10}, {100, 10}} {
		if got := writeCost(tc.records); got != tc.want {
			t.Errorf("writeCost(%d) = %d, want %d", tc.records, got, tc.want)
		}
	}
}

func leads(n int, prefix string) map[string]any {
	recs := make([]map[string]any, n)
	for i := range recs {
		recs[i] = lead("L", fmt.Sprintf("%s%d@example.com", prefix, i))
	}
	return records(recs...)
}

func TestCreditsCharged(t *testing.T) {
	cases := []struct {
		name   string
		cfg    Config
		path   string
		body   map[string]any
		status int
		want   int64
	}{
		{"25 records", Config{}, "/crm/v8/Leads", leads(25, "a"), 201, 3},
		{"all records failed", Config{}, "/crm/v8/Leads", records(map[string]any{"First_Name": "x"}), 400, 1},
		{"request error", Config{}, "/crm/v8/Leads", leads(101, "b"), 400, 0},
		{"request error charged", Config{Unconfirmed: Unconfirmed{ChargeRequestErrors: true}}, "/crm/v8/Leads", leads(101, "b"), 400, 1},
		{"composite", Config{}, "/crm/v8/__composite_requests", composite(false, sub("a", "POST", "/crm/v8/Leads", leads(1, "c"))), 200, 1},
		{"composite rollback ok", Config{}, "/crm/v8/__composite_requests", composite(true, sub("a", "POST", "/crm/v8/Leads", leads(1, "d"))), 200, 2},
		{"composite rolled back", Config{}, "/crm/v8/__composite_requests", composite(true, sub("a", "POST", "/crm/v8/Leads", leads(1, "e")),
			sub("b", "POST", "/crm/v8/Leads", records(map[string]any{"First_Name": "x"}))), 400, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.cfg)
			if status, body := h.call("POST", tc.path, tc.body); status != tc.status {
				t.Fatalf("status = %d, want %d: %v", status, tc.status, body)
			}
			if got := h.sim.Stats().CreditsUsed; got != tc.want {
				t.Errorf("credits used = %d, want %d", got, tc.want)
			}
			log := h.sim.Log()
			if got := log[len(log)-1].Credits; got != tc.want {
				t.Errorf("logged credits = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestCreditsRemainingHeaderAfterHalf(t *testing.T) {
	h := newHarness(t, Config{DailyCredits: 10, AddOnCredits: 5})
	for i := range 6 {
		_, hdr, _ := h.callWith("us", "Zoho-oauthtoken "+h.token, "POST", "/crm/v8/Leads", leads(1, fmt.Sprint("h", i)), nil)
		got := hdr.Get("X-API-CREDITS-REMAINING")
		want := ""
		if used := i + 1; used*2 >= 10 {
			want = fmt.Sprint(15 - used)
		}
		if got != want {
			t.Errorf("after %d credits: header %q, want %q", i+1, got, want)
		}
	}
}

func TestRollingWindow(t *testing.T) {
	h := newHarness(t, Config{DailyCredits: 2, Clock: fixedClock, AccessTokenTTL: 48 * time.Hour})
	mustWrite(h, "POST", "/crm/v8/Leads", leads(1, "a"), 201)
	h.sim.Advance(time.Hour)
	mustWrite(h, "POST", "/crm/v8/Leads", leads(1, "b"), 201)
	if status, body := h.call("POST", "/crm/v8/Leads", leads(1, "c")); status != 429 || body["code"] != "TOO_MANY_REQUESTS" {
		t.Fatalf("over the allowance: %d %v", status, body["code"])
	}
	h.sim.Advance(23*time.Hour - time.Second)
	if status, _ := h.call("POST", "/crm/v8/Leads", leads(1, "d")); status != 429 {
		t.Errorf("a second before the first credit frees: %d, want 429", status)
	}
	h.sim.Advance(time.Second)
	mustWrite(h, "POST", "/crm/v8/Leads", leads(1, "e"), 201)
	if status, _ := h.call("POST", "/crm/v8/Leads", leads(1, "f")); status != 429 {
		t.Errorf("second credit still in the window: %d, want 429", status)
	}
	st := h.sim.Stats()
	if st.Refused["credits"] != 3 || st.CreditsSpent != 3 {
		t.Errorf("refused %v spent %d, want 3 refusals and 3 spent", st.Refused, st.CreditsSpent)
	}
}

func TestCallCostingMoreThanRemains(t *testing.T) {
	h := newHarness(t, Config{DailyCredits: 5})
	mustWrite(h, "POST", "/crm/v8/Leads", leads(30, "a"), 201)
	if status, _ := h.call("POST", "/crm/v8/Leads", leads(30, "b")); status != 429 {
		t.Errorf("3 credits with 2 left: %d, want 429", status)
	}
	mustWrite(h, "POST", "/crm/v8/Leads", leads(20, "c"), 201)
}
