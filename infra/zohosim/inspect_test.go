package zohosim

import (
	"encoding/json"
	"testing"
)

func TestRecordsAndFind(t *testing.T) {
	h := newHarness(t, Config{})
	mustWrite(h, "POST", "/crm/v8/Contacts", records(
		map[string]any{"Last_Name": "A", "Email": "a@example.com", "Order_Count": 3},
		map[string]any{"Last_Name": "B", "Email": "b@example.com", "Lifetime_Value": 12.5}), 201)
	recs := h.sim.Records("Contacts")
	if len(recs) != 2 || recs[0]["Last_Name"] != "A" || recs[1]["Last_Name"] != "B" {
		t.Fatalf("Records = %v", recs)
	}
	recs[0]["Last_Name"] = "changed"
	cases := []struct {
		field string
		value any
		want  any
	}{
		{"Email", "A@EXAMPLE.COM", "A"},
		{"Order_Count", 3, "A"},
		{"Lifetime_Value", 12.5, "B"},
		{"Last_Name", "b", "B"},
		{"Email", "c@example.com", nil},
	}
	for _, tc := range cases {
		rec := h.sim.FindRecord("Contacts", tc.field, tc.value)
		var got any
		if rec != nil {
			got = rec["Last_Name"]
		}
		if got != tc.want {
			t.Errorf("FindRecord(%s=%v) = %v, want %v", tc.field, tc.value, got, tc.want)
		}
	}
	if h.sim.Records("Widgets") != nil || h.sim.FindRecord("Widgets", "x", 1) != nil {
		t.Error("unknown module returned records")
	}
	if got := h.sim.FindRecord("Contacts", "Order_Count", json.Number("3")); got == nil {
		t.Error("json.Number query did not match")
	}
}

func TestStatsAndLog(t *testing.T) {
	h := newHarness(t, Config{LogLimit: 3})
	mustWrite(h, "POST", "/crm/v8/Leads", leads(12, "a"), 201)
	h.call("POST", "/crm/v8/Widgets", leads(1, "b"))
	mustWrite(h, "POST", "/crm/v8/Leads", records(lead("A", "x@example.com"), map[string]any{"First_Name": "x"}), 207)
	st := h.sim.Stats()
	if st.Records["Leads"] != 13 || st.Calls["insert"][201] != 1 || st.Calls["insert"][207] != 1 || st.Calls["insert"][400] != 1 {
		t.Errorf("stats = %+v", st)
	}
	if st.RecordResults["SUCCESS"] != 13 || st.RecordResults["MANDATORY_NOT_FOUND"] != 1 {
		t.Errorf("record results = %v", st.RecordResults)
	}
	if st.CreditsSpent != 3 || st.MaxSubInFlight != 1 || st.MaxInFlight != 1 {
		t.Errorf("credits %d, max in flight %d/%d", st.CreditsSpent, st.MaxInFlight, st.MaxSubInFlight)
	}
	log := h.sim.Log()
	if len(log) != 3 {
		t.Fatalf("log has %d entries, want the last 3", len(log))
	}
	last := log[2]
	if last.Endpoint != "insert" || last.Module != "Leads" || last.Status != 207 || last.Records != 2 || last.Failed != 1 || last.Credits != 1 {
		t.Errorf("last entry = %+v", last)
	}
	if log[1].Code != "INVALID_MODULE" {
		t.Errorf("middle entry = %+v", log[1])
	}
}
