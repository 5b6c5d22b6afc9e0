package zohosim

import (
	"fmt"
	"reflect"
	"regexp"
	"testing"
)

func TestInsertStatusByOutcomeMix(t *testing.T) {
	cases := []struct {
		name       string
		recs       []map[string]any
		wantStatus int
		wantCodes  []string
	}{
		{"all ok", []map[string]any{lead("A", "a@example.com"), lead("B", "b@example.com")}, 201, []string{"SUCCESS", "SUCCESS"}},
		{"mixed", []map[string]any{lead("A", "a@example.com"), {"First_Name": "x"}}, 207, []string{"SUCCESS", "MANDATORY_NOT_FOUND"}},
		{"all failed", []map[string]any{{"First_Name": "x"}, {"Last_Name": "B", "Email": "nope"}}, 400, []string{"MANDATORY_NOT_FOUND", "INVALID_DATA"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			status, body := h.call("POST", "/crm/v8/Leads", records(tc.recs...))
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d", status, tc.wantStatus)
			}
			if got := codes(t, body); !reflect.DeepEqual(got, tc.wantCodes) {
				t.Errorf("codes = %v, want %v", got, tc.wantCodes)
			}
		})
	}
}

func TestRecordErrorsCarryIndexInJSONPath(t *testing.T) {
	h := newHarness(t, Config{})
	_, body := h.call("POST", "/crm/v8/Leads", records(lead("A", "a@example.com"), lead("B", "b@example.com"),
		map[string]any{"Last_Name": "C", "Phone": "call me"}))
	item := data(t, body)[2]
	if got, want := detail(item, "json_path"), "$.data[2].Phone"; got != want {
		t.Errorf("json_path = %v, want %v", got, want)
	}
	if got, want := detail(item, "expected_data_type"), "phone"; got != want {
		t.Errorf("expected_data_type = %v, want %v", got, want)
	}
}

func TestRecordLimit(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want int
	}{{100, 201}, {101, 400}} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			h := newHarness(t, Config{})
			recs := make([]map[string]any, tc.n)
			for i := range recs {
				recs[i] = lead("L", fmt.Sprintf("l%d@example.com", i))
			}
			status, body := h.call("POST", "/crm/v8/Leads", records(recs...))
			if status != tc.want {
				t.Fatalf("status = %d, want %d: %v", status, tc.want, body["code"])
			}
			if got := h.sim.Stats().Records["Leads"]; tc.want == 400 && got != 0 {
				t.Errorf("records stored after LIMIT_EXCEEDED = %d, want 0", got)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	h := newHarness(t, Config{})
	id := idOf(t, mustWrite(h, "POST", "/crm/v8/Leads", records(lead("A", "a@example.com")), 201), 0)
	cases := []struct {
		name, method, path string
		body               map[string]any
		wantStatus         int
		wantCodes          []string
	}{
		{"by id in body", "PUT", "/crm/v8/Leads", records(map[string]any{"id": id, "Company": "X"}), 200, []string{"SUCCESS"}},
		{"by id in path", "PUT", "/crm/v8/Leads/" + id, records(map[string]any{"Company": "Y"}), 200, []string{"SUCCESS"}},
		{"missing id", "PUT", "/crm/v8/Leads", records(map[string]any{"Company": "X"}), 400, []string{"MANDATORY_NOT_FOUND"}},
		{"unknown id", "PUT", "/crm/v8/Leads", records(map[string]any{"id": "5725767000000999999", "Company": "X"}), 400, []string{"INVALID_DATA"}},
		{"mixed", "PUT", "/crm/v8/Leads", records(map[string]any{"id": id, "Company": "Z"}, map[string]any{"Company": "X"}), 207, []string{"SUCCESS", "MANDATORY_NOT_FOUND"}},
		{"mandatory cleared", "PUT", "/crm/v8/Leads", records(map[string]any{"id": id, "Last_Name": nil}), 400, []string{"MANDATORY_NOT_FOUND"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.call(tc.method, tc.path, tc.body)
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d", status, tc.wantStatus)
			}
			if got := codes(t, body); !reflect.DeepEqual(got, tc.wantCodes) {
				t.Errorf("codes = %v, want %v", got, tc.wantCodes)
			}
		})
	}
	if got := h.sim.Record("Leads", id)["Company"]; got != "Z" {
		t.Errorf("Company after updates = %v, want Z", got)
	}
}

func TestUpsertMatching(t *testing.T) {
	cases := []struct {
		name      string
		body      map[string]any
		wantField any // duplicate_field, nil for an insert
	}{
		{"system field by default", records(lead("A", "A@EXAMPLE.COM")), "Email"},
		{"unique field after the system field", records(map[string]any{"Last_Name": "P", "Phone": "+1 555 0100"}), "Phone"},
		{"listed unique field first", withDCF(records(map[string]any{"Last_Name": "X", "Email": "a@example.com", "Phone": "+1 555 0100"}), "Phone"), "Phone"},
		{"system field omitted from the list is ignored", withDCF(records(lead("A", "a@example.com")), "Phone"), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			mustWrite(h, "POST", "/crm/v8/Leads", records(lead("A", "a@example.com"),
				map[string]any{"Last_Name": "P", "Phone": "+1 555 0100"}), 201)
			body := mustWrite(h, "POST", "/crm/v8/Leads/upsert", tc.body, 200)
			item := data(t, body)[0]
			if got := item["duplicate_field"]; got != tc.wantField {
				t.Errorf("duplicate_field = %v, want %v", got, tc.wantField)
			}
			wantAction := "update"
			if tc.wantField == nil {
				wantAction = "insert"
			}
			if got := item["action"]; got != wantAction {
				t.Errorf("action = %v, want %v", got, wantAction)
			}
		})
	}
}

func withDCF(body map[string]any, fields ...any) map[string]any {
	body["duplicate_check_fields"] = fields
	return body
}

func TestUpsertRejectsNonKeyMatchField(t *testing.T) {
	h := newHarness(t, Config{})
	status, body := h.call("POST", "/crm/v8/Leads/upsert", withDCF(records(lead("A", "a@example.com")), "Company"))
	if status != 400 || body["code"] != "INVALID_DATA" {
		t.Errorf("got %d %v, want 400 INVALID_DATA", status, body["code"])
	}
}

func TestUpsertExternalIDAndStatuses(t *testing.T) {
	h := newHarness(t, Config{})
	sub := map[string]any{"Name": "Gold", "External_ID": "sub_1"}
	if status, _ := h.call("POST", "/crm/v8/Subscriptions/upsert", records(sub)); status != 200 {
		t.Fatalf("first upsert status = %d, want 200", status)
	}
	status, body := h.call("POST", "/crm/v8/Subscriptions/upsert", records(map[string]any{"Name": "Gold+", "External_ID": "sub_1"}, map[string]any{"External_ID": "sub_2"}))
	if status != 207 {
		t.Errorf("status = %d, want 207", status)
	}
	if got := codes(t, body); !reflect.DeepEqual(got, []string{"SUCCESS", "MANDATORY_NOT_FOUND"}) {
		t.Errorf("codes = %v", got)
	}
	if got := data(t, body)[0]["duplicate_field"]; got != "External_ID" {
		t.Errorf("duplicate_field = %v, want External_ID", got)
	}
}

func TestUniqueFieldDuplicates(t *testing.T) {
	h := newHarness(t, Config{})
	first := mustWrite(h, "POST", "/crm/v8/Contacts", records(map[string]any{"Last_Name": "A", "Stripe_Customer_ID": "cus_1"}), 201)
	_, body := h.call("POST", "/crm/v8/Contacts", records(map[string]any{"Last_Name": "B", "Stripe_Customer_ID": "cus_1"}))
	item := data(t, body)[0]
	if item["code"] != "DUPLICATE_DATA" {
		t.Fatalf("code = %v, want DUPLICATE_DATA", item["code"])
	}
	dup, _ := detail(item, "duplicate_record").(map[string]any)
	if dup["id"] != idOf(t, first, 0) {
		t.Errorf("duplicate_record.id = %v, want %v", dup["id"], idOf(t, first, 0))
	}
	second := idOf(t, mustWrite(h, "POST", "/crm/v8/Contacts", records(map[string]any{"Last_Name": "C", "Stripe_Customer_ID": "cus_2"}), 201), 0)
	_, body = h.call("PUT", "/crm/v8/Contacts/"+second, records(map[string]any{"Stripe_Customer_ID": "CUS_1"}))
	if got := codes(t, body); !reflect.DeepEqual(got, []string{"DUPLICATE_DATA"}) {
		t.Errorf("update onto another record's unique value: codes = %v", got)
	}
}

func TestSystemDuplicateOnInsert(t *testing.T) {
	for _, tc := range []struct {
		allow bool
		want  int
	}{{false, 400}, {true, 201}} {
		t.Run(fmt.Sprint(tc.allow), func(t *testing.T) {
			h := newHarness(t, Config{Unconfirmed: Unconfirmed{AllowSystemDuplicateOnInsert: tc.allow}})
			mustWrite(h, "POST", "/crm/v8/Contacts", records(lead("A", "a@example.com")), 201)
			if status, _ := h.call("POST", "/crm/v8/Contacts", records(lead("B", "a@example.com"))); status != tc.want {
				t.Errorf("status = %d, want %d", status, tc.want)
			}
		})
	}
}

func TestCaseSensitiveMatchSetting(t *testing.T) {
	h := newHarness(t, Config{Unconfirmed: Unconfirmed{CaseSensitiveMatch: true}})
	mustWrite(h, "POST", "/crm/v8/Contacts", records(lead("A", "a@example.com")), 201)
	body := mustWrite(h, "POST", "/crm/v8/Contacts/upsert", records(lead("B", "A@example.com")), 200)
	if got := data(t, body)[0]["action"]; got != "insert" {
		t.Errorf("action = %v, want insert with case-sensitive matching", got)
	}
}

func TestTriggerValues(t *testing.T) {
	cases := []struct {
		trigger any
		want    int
	}{{[]any{"workflow", "approval"}, 201}, {[]any{}, 201}, {[]any{"cron"}, 400}, {"workflow", 400}}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.trigger), func(t *testing.T) {
			h := newHarness(t, Config{})
			body := records(lead("A", "a@example.com"))
			body["trigger"] = tc.trigger
			if status, _ := h.call("POST", "/crm/v8/Leads", body); status != tc.want {
				t.Errorf("status = %d, want %d", status, tc.want)
			}
		})
	}
}

func TestLookups(t *testing.T) {
	h := newHarness(t, Config{})
	acc := idOf(t, mustWrite(h, "POST", "/crm/v8/Accounts", records(map[string]any{"Account_Name": "Example Co"}), 201), 0)
	deal := func(account any) map[string]any {
		return records(map[string]any{"Deal_Name": "D", "Stage": "Qualification", "Account_Name": account})
	}
	if status, body := h.call("POST", "/crm/v8/Deals", deal(map[string]any{"id": acc})); status != 201 {
		t.Errorf("existing lookup: status %d, %v", status, body)
	}
	_, body := h.call("POST", "/crm/v8/Deals", deal(map[string]any{"id": "5725767000000999999"}))
	if got := detail(data(t, body)[0], "json_path"); got != "$.data[0].Account_Name.id" {
		t.Errorf("missing lookup json_path = %v", got)
	}
	_, body = h.call("POST", "/crm/v8/Deals", deal(acc))
	if got := detail(data(t, body)[0], "expected_data_type"); got != "jsonobject" {
		t.Errorf("bare id: expected_data_type = %v, want jsonobject", got)
	}
}

func TestUnknownFieldsAreIgnored(t *testing.T) {
	h := newHarness(t, Config{})
	id := idOf(t, mustWrite(h, "POST", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A", "Not_A_Field": 1}), 201), 0)
	if _, found := h.sim.Record("Leads", id)["Not_A_Field"]; found {
		t.Error("unknown field was stored")
	}
}

var idPattern = regexp.MustCompile(`^[0-9]{19}$`)
var timePattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$`)

func TestRecordMetadata(t *testing.T) {
	h := newHarness(t, Config{TimeZone: "Asia/Kolkata", Clock: fixedClock})
	item := data(t, mustWrite(h, "POST", "/crm/v8/Leads", records(lead("A", "a@example.com")), 201))[0]
	id, _ := detail(item, "id").(string)
	if !idPattern.MatchString(id) {
		t.Errorf("id %q is not 19 digits", id)
	}
	if got, want := detail(item, "Created_Time"), "2025-01-01T17:30:00+05:30"; got != want {
		t.Errorf("Created_Time = %v, want %v", got, want)
	}
	by, _ := detail(item, "Created_By").(map[string]any)
	if by["name"] != defaultUserName || !idPattern.MatchString(fmt.Sprint(by["id"])) {
		t.Errorf("Created_By = %v", by)
	}
	rec := h.sim.Record("Leads", id)
	for _, k := range []string{"Created_Time", "Modified_Time"} {
		if !timePattern.MatchString(fmt.Sprint(rec[k])) {
			t.Errorf("%s = %v", k, rec[k])
		}
	}
}

func TestIfUnmodifiedSince(t *testing.T) {
	h := newHarness(t, Config{Clock: fixedClock, AccessTokenTTL: 24 * time1h})
	id := idOf(t, mustWrite(h, "POST", "/crm/v8/Leads", records(lead("A", "a@example.com")), 201), 0)
	h.sim.Advance(time1h)
	mustWrite(h, "PUT", "/crm/v8/Leads/"+id, records(map[string]any{"Company": "X"}), 200)
	status, _, body := h.callWith("us", "Zoho-oauthtoken "+h.token, "PUT", "/crm/v8/Leads/"+id,
		records(map[string]any{"Company": "Y"}), map[string]string{"If-Unmodified-Since": "2025-01-01T12:30:00+00:00"})
	if status != 412 || codes(t, body)[0] != "ALREADY_MODIFIED" {
		t.Errorf("got %d %v, want 412 ALREADY_MODIFIED", status, body)
	}
}

func TestAppendValues(t *testing.T) {
	h := newHarness(t, Config{})
	id := idOf(t, mustWrite(h, "POST", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A", "Interests": []any{"Billing"}}), 201), 0)
	mustWrite(h, "PUT", "/crm/v8/Leads/"+id, records(map[string]any{"Interests": []any{"Sales", "Billing"},
		"$append_values": map[string]any{"Interests": true}}), 200)
	if got, want := h.sim.Record("Leads", id)["Interests"], []any{"Billing", "Sales"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Interests = %v, want %v", got, want)
	}
}

func TestRouting(t *testing.T) {
	h := newHarness(t, Config{})
	cases := []struct {
		method, path string
		wantStatus   int
		wantCode     string
	}{
		{"POST", "/crm/v1/Leads", 404, "INVALID_URL_PATTERN"},
		{"POST", "/crm/v9/Leads", 404, "INVALID_URL_PATTERN"},
		{"POST", "/crm/v8", 404, "INVALID_URL_PATTERN"},
		{"POST", "/crm/v8/Leads/upsert/x", 404, "INVALID_URL_PATTERN"},
		{"POST", "/nothing", 404, "INVALID_URL_PATTERN"},
		{"PATCH", "/crm/v8/Leads", 400, "INVALID_REQUEST_METHOD"},
		{"PUT", "/crm/v8/Leads/upsert", 400, "INVALID_REQUEST_METHOD"},
		{"POST", "/crm/v8/Leads/5725767000000100001", 400, "INVALID_REQUEST_METHOD"},
		{"GET", "/crm/v8/Leads", 400, "NOT_SUPPORTED"},
		{"POST", "/crm/v8/coql", 400, "NOT_SUPPORTED"},
		{"POST", "/crm/v8/leads", 400, "INVALID_MODULE"},
		{"POST", "/crm/v2/__composite_requests", 400, "API_NOT_SUPPORTED"},
		{"GET", "/crm/v8/__composite_requests", 400, "INVALID_REQUEST_METHOD"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			status, body := h.call(tc.method, tc.path, records(lead("A", "a@example.com")))
			if status != tc.wantStatus || body["code"] != tc.wantCode {
				t.Errorf("got %d %v, want %d %s", status, body["code"], tc.wantStatus, tc.wantCode)
			}
		})
	}
	for v := 2; v <= 8; v++ {
		if status, _ := h.call("POST", fmt.Sprintf("/crm/v%d/Leads", v), records(lead("A", fmt.Sprintf("v%d@example.com", v)))); status != 201 {
			t.Errorf("v%d insert status = %d, want 201", v, status)
		}
	}
}

func TestBodyErrors(t *testing.T) {
	h := newHarness(t, Config{})
	cases := []struct {
		name     string
		body     any
		wantCode string
	}{
		{"not json", "{nope", "INVALID_DATA"},
		{"array body", "[]", "INVALID_DATA"},
		{"no data", map[string]any{}, "MANDATORY_NOT_FOUND"},
		{"empty data", map[string]any{"data": []any{}}, "MANDATORY_NOT_FOUND"},
		{"data not array", map[string]any{"data": map[string]any{}}, "INVALID_DATA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.call("POST", "/crm/v8/Leads", tc.body)
			if status != 400 || body["code"] != tc.wantCode {
				t.Errorf("got %d %v, want 400 %s", status, body["code"], tc.wantCode)
			}
		})
	}
	_, body := h.call("POST", "/crm/v8/Leads", map[string]any{"data": []any{"x"}})
	if got := detail(data(t, body)[0], "expected_data_type"); got != "jsonobject" {
		t.Errorf("non-object record: expected_data_type = %v", got)
	}
}
