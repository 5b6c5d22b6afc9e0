package zohosim

import (
	"fmt"
	"reflect"
	"testing"
)

const compositePath = "/crm/v8/__composite_requests"

func items(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	arr, ok := body[compositeKey].([]any)
	if !ok {
		t.Fatalf("no %s in %v", compositeKey, body)
	}
	out := make([]map[string]any, len(arr))
	for i, v := range arr {
		out[i], _ = v.(map[string]any)
	}
	return out
}

func itemCodes(t *testing.T, body map[string]any) []string {
	t.Helper()
	var out []string
	for _, it := range items(t, body) {
		out = append(out, fmt.Sprint(it["code"]))
	}
	return out
}

// inner returns a triggered item's wrapped status and body.
func inner(t *testing.T, item map[string]any) (string, map[string]any) {
	t.Helper()
	resp, _ := detail(item, "response").(map[string]any)
	body, _ := resp["body"].(map[string]any)
	return fmt.Sprint(resp["status_code"]), body
}

func account(name string) map[string]any { return records(map[string]any{"Account_Name": name}) }

func TestCompositeReferences(t *testing.T) {
	h := newHarness(t, Config{})
	body := mustWrite(h, "POST", compositePath, composite(false,
		sub("acc", "POST", "/crm/v8/Accounts", account("Example Co")),
		sub("con", "POST", "/crm/v8/Contacts", records(map[string]any{"Last_Name": "Doe",
			"Account_Name": map[string]any{"id": "@{acc:$.data[0].details.id}"}})),
		sub("upd", "PUT", "/crm/v8/Contacts/@{con:$.data[0].details.id}", records(map[string]any{"Title": "CTO"}))), 200)
	_, accBody := inner(t, items(t, body)[0])
	accID := idOf(t, accBody, 0)
	con := h.sim.FindRecord("Contacts", "Last_Name", "Doe")
	if ref, _ := con["Account_Name"].(map[string]any); ref["id"] != accID {
		t.Errorf("contact's Account_Name = %v, want id %s", con["Account_Name"], accID)
	}
	if con["Title"] != "CTO" {
		t.Errorf("reference in uri: Title = %v, want CTO", con["Title"])
	}
}

func TestCompositeRollback(t *testing.T) {
	h := newHarness(t, Config{})
	status, body := h.call("POST", compositePath, composite(true,
		sub("acc", "POST", "/crm/v8/Accounts", account("Example Co")),
		sub("con", "POST", "/crm/v8/Contacts", records(lead("Doe", "doe@example.com"))),
		sub("deal", "POST", "/crm/v8/Deals", records(map[string]any{"Deal_Name": "D"})),
		sub("late", "POST", "/crm/v8/Leads", records(lead("L", "l@example.com")))))
	if status != 400 {
		t.Errorf("status = %d, want 400", status)
	}
	want := []string{"ROLLBACK_PERFORMED", "ROLLBACK_PERFORMED", "SUCCESS", "PROCESSING_STOPPED"}
	if got := itemCodes(t, body); !reflect.DeepEqual(got, want) {
		t.Errorf("codes = %v, want %v", got, want)
	}
	its := items(t, body)
	if got := detail(its[0], "rollbacked_by_sub_request_index"); fmt.Sprint(got) != "2" {
		t.Errorf("rollbacked_by_sub_request_index = %v, want 2", got)
	}
	if st, b := inner(t, its[2]); st != "400" || codes(t, b)[0] != "MANDATORY_NOT_FOUND" {
		t.Errorf("failing item inner = %s %v", st, b)
	}
	st := h.sim.Stats()
	for _, m := range []string{"Accounts", "Contacts", "Deals", "Leads"} {
		if st.Records[m] != 0 {
			t.Errorf("%s records after rollback = %d, want 0", m, st.Records[m])
		}
	}
}

func TestCompositeRollbackRestoresUpdates(t *testing.T) {
	h := newHarness(t, Config{})
	id := idOf(t, mustWrite(h, "POST", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A", "Company": "Old"}), 201), 0)
	mustWrite(h, "POST", compositePath, composite(true,
		sub("u", "PUT", "/crm/v8/Leads/"+id, records(map[string]any{"Company": "New"})),
		sub("bad", "POST", "/crm/v8/Leads", records(map[string]any{"First_Name": "x"}))), 400)
	if got := h.sim.Record("Leads", id)["Company"]; got != "Old" {
		t.Errorf("Company after rollback = %v, want Old", got)
	}
}

func TestCompositeValidation(t *testing.T) {
	one := sub("a", "POST", "/crm/v8/Leads", leads(1, "a"))
	six := composite(false, one, one, one, one, one, one)
	both := composite(true, one)
	both["parallel_execution"] = true
	cases := []struct {
		name     string
		path     string
		body     map[string]any
		wantCode string
	}{
		{"more than five", compositePath, six, "INVALID_DATA"},
		{"rollback and parallel", compositePath, both, "AMBIGUITY_DURING_PROCESSING"},
		{"no sub-requests", compositePath, map[string]any{}, "MANDATORY_NOT_FOUND"},
		{"not an array", compositePath, map[string]any{compositeKey: "x"}, "INVALID_DATA"},
		{"rollback not boolean", compositePath, map[string]any{"rollback_on_fail": "yes", compositeKey: []any{one}}, "INVALID_DATA"},
		{"version 2", "/crm/v2/__composite_requests", composite(false, one), "API_NOT_SUPPORTED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			status, body := h.call("POST", tc.path, tc.body)
			if status != 400 || body["code"] != tc.wantCode {
				t.Errorf("got %d %v, want 400 %s", status, body["code"], tc.wantCode)
			}
		})
	}
}

func TestCompositeItemErrors(t *testing.T) {
	ok := func(id string) map[string]any { return sub(id, "POST", "/crm/v8/Leads", leads(1, id)) }
	badHeader := ok("h")
	badHeader["headers"] = map[string]any{"Authorization": "x"}
	cases := []struct {
		name       string
		parallel   bool
		subs       []map[string]any
		wantStatus int
		wantCodes  []string
	}{
		{"two records in one write", false, []map[string]any{ok("a"), sub("b", "POST", "/crm/v8/Leads", leads(2, "b"))}, 200, []string{"SUCCESS", "SUCCESS"}},
		{"reference to a later sub-request", false, []map[string]any{sub("a", "PUT", "/crm/v8/Leads/@{b:$.data[0].details.id}", leads(1, "a")), ok("b")}, 207, []string{"INVALID_REFERENCE", "SUCCESS"}},
		{"self reference", false, []map[string]any{sub("a", "PUT", "/crm/v8/Leads/@{a:$.data[0].details.id}", leads(1, "a"))}, 400, []string{"INVALID_REFERENCE"}},
		{"unknown path", false, []map[string]any{ok("a"), sub("b", "PUT", "/crm/v8/Leads/@{a:$.data[5].details.id}", leads(1, "b"))}, 207, []string{"SUCCESS", "INVALID_REFERENCE"}},
		{"duplicate id", false, []map[string]any{ok("a"), ok("a")}, 207, []string{"SUCCESS", "DUPLICATE_DATA"}},
		{"bad id", false, []map[string]any{ok("_a")}, 400, []string{"INVALID_DATA"}},
		{"bad uri", false, []map[string]any{sub("a", "POST", "/api/v8/Leads", leads(1, "a"))}, 400, []string{"INVALID_DATA"}},
		{"higher version", false, []map[string]any{sub("a", "POST", "/crm/v8/Leads", leads(1, "a"))}, 400, []string{"NOT_ALLOWED"}},
		{"restricted header", false, []map[string]any{badHeader}, 400, []string{"INVALID_DATA"}},
		{"parallel order follows references", true, []map[string]any{sub("a", "PUT", "/crm/v8/Leads/@{b:$.data[0].details.id}", leads(1, "a")), ok("b")}, 200, []string{"SUCCESS", "SUCCESS"}},
		{"parallel loop", true, []map[string]any{sub("a", "PUT", "/crm/v8/Leads/@{b:$.data[0].details.id}", leads(1, "a")), sub("b", "PUT", "/crm/v8/Leads/@{a:$.data[0].details.id}", leads(1, "b"))}, 400, []string{"LOOPING_FOUND", "LOOPING_FOUND"}},
		{"parallel reference to a failed one", true, []map[string]any{sub("a", "POST", "/crm/v8/Leads", records(map[string]any{"First_Name": "x"})), sub("b", "PUT", "/crm/v8/Leads/@{a:$.data[0].details.id}", leads(1, "b"))}, 207, []string{"SUCCESS", "INVALID_REFERENCE"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			body := composite(false, tc.subs...)
			body["parallel_execution"] = tc.parallel
			path := compositePath
			if tc.name == "higher version" {
				path = "/crm/v7/__composite_requests"
			}
			status, out := h.call("POST", path, body)
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d: %v", status, tc.wantStatus, out)
			}
			if got := itemCodes(t, out); !reflect.DeepEqual(got, tc.wantCodes) {
				t.Errorf("codes = %v, want %v", got, tc.wantCodes)
			}
		})
	}
}

func TestCompositeOneRecordPerWrite(t *testing.T) {
	h := newHarness(t, Config{})
	_, body := h.call("POST", compositePath, composite(false, sub("a", "POST", "/crm/v8/Leads", leads(2, "a"))))
	st, b := inner(t, items(t, body)[0])
	if st != "400" || b["code"] != "LIMIT_EXCEEDED" || fmt.Sprint(detail(b, "limit")) != "1" {
		t.Errorf("inner = %s %v, want 400 LIMIT_EXCEEDED limit 1", st, b)
	}
	if h.sim.Stats().Records["Leads"] != 0 {
		t.Error("records written by an over-limit sub-request")
	}
}
