package zohosim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func (h *harness) control(method, path string, body any) (int, map[string]any) {
	h.t.Helper()
	var rd *bytes.Reader
	if s, ok := body.(string); ok {
		rd = bytes.NewReader([]byte(s))
	} else {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.srv.APIURL("us")+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	resp, err := h.http.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	return decodeResponse(h.t, resp)
}

func TestControlAPI(t *testing.T) {
	h := newHarness(t, Config{Clock: fixedClock})
	steps := []struct {
		method, path string
		body         any
		wantStatus   int
		check        func(map[string]any) bool
	}{
		{"POST", "/__sim/clients", map[string]any{"dc": "eu", "client_id": "c2", "client_secret": "s2"}, 200, nil},
		{"POST", "/__sim/clients", map[string]any{"dc": "mars", "client_id": "c2", "client_secret": "s2"}, 400, nil},
		{"POST", "/__sim/grant-codes", map[string]any{"dc": "eu", "client_id": "c2"}, 200, func(b map[string]any) bool { return b["code"] != "" }},
		{"POST", "/__sim/grant-codes", map[string]any{"dc": "jp", "client_id": "c2"}, 400, nil},
		{"POST", "/__sim/refresh-tokens", map[string]any{"dc": "eu", "client_id": "c2", "refresh_token": "1000.local.refresh"}, 200,
			func(b map[string]any) bool { return b["refresh_token"] == "1000.local.refresh" }},
		{"POST", "/__sim/faults", map[string]any{"endpoint": "insert", "action": "status", "status": 500, "for": "1m"}, 200,
			func(b map[string]any) bool { return b["id"] != "" }},
		{"POST", "/__sim/faults", map[string]any{"action": "status", "typo": 1}, 400, nil},
		{"GET", "/__sim/faults", nil, 200, func(b map[string]any) bool { return len(b["faults"].([]any)) == 1 }},
		{"DELETE", "/__sim/faults", nil, 200, nil},
		{"DELETE", "/__sim/faults/nope", nil, 404, nil},
		{"PUT", "/__sim/latency/write", map[string]any{"kind": "fixed", "fixed": "1ms"}, 200, nil},
		{"PUT", "/__sim/latency/write", map[string]any{"kind": "none"}, 200, nil},
		{"PUT", "/__sim/latency/bulk", map[string]any{"kind": "none"}, 400, nil},
		{"PUT", "/__sim/access-token-ttl", map[string]any{"ttl": "2h"}, 200, nil},
		{"POST", "/__sim/clock", map[string]any{"advance": "1h"}, 200,
			func(b map[string]any) bool { return strings.HasPrefix(b["now"].(string), "2025-01-01T13:00:00") }},
		{"POST", "/__sim/tokens/invalidate", nil, 200, func(b map[string]any) bool { return b["invalidated"] != nil }},
		{"GET", "/__sim/nothing", nil, 404, nil},
	}
	for _, st := range steps {
		status, body := h.control(st.method, st.path, st.body)
		if status != st.wantStatus {
			t.Errorf("%s %s: status %d, want %d: %v", st.method, st.path, status, st.wantStatus, body)
			continue
		}
		if st.check != nil && !st.check(body) {
			t.Errorf("%s %s: unexpected body %v", st.method, st.path, body)
		}
	}
	if got := time.Duration(h.sim.tokenTTL.Load()); got != 2*time.Hour {
		t.Errorf("token ttl = %v, want 2h", got)
	}
}

func TestControlInspection(t *testing.T) {
	h := newHarness(t, Config{})
	mustWrite(h, "POST", "/crm/v8/Contacts", records(lead("A", "a@example.com"), lead("B", "b@example.com")), 201)
	_, body := h.control("GET", "/__sim/records/Contacts", nil)
	if got := len(body["data"].([]any)); got != 2 {
		t.Errorf("records = %d, want 2", got)
	}
	_, body = h.control("GET", "/__sim/records/Contacts?field=Email&value=B@example.com", nil)
	if found := body["data"].([]any); len(found) != 1 || found[0].(map[string]any)["Last_Name"] != "B" {
		t.Errorf("find = %v", body)
	}
	if status, _ := h.control("GET", "/__sim/records/Widgets", nil); status != 400 {
		t.Errorf("unknown module: %d, want 400", status)
	}
	_, body = h.control("GET", "/__sim/stats", nil)
	if calls := body["calls"].(map[string]any)["insert"].(map[string]any); calls["201"] == nil {
		t.Errorf("stats calls = %v", body["calls"])
	}
	_, body = h.control("GET", "/__sim/log?limit=1", nil)
	if entries := body["entries"].([]any); len(entries) != 1 || entries[0].(map[string]any)["endpoint"] != "insert" {
		t.Errorf("log = %v", body)
	}
	h.control("POST", "/__sim/reset", nil)
	if got := h.sim.Stats().Records["Contacts"]; got != 0 {
		t.Errorf("records after reset = %d", got)
	}
	mustWrite(h, "POST", "/crm/v8/Contacts", records(lead("C", "c@example.com")), 201) // token survives Reset
}
