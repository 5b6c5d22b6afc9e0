package zohosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// Conformance: for every body in testdata/zoho, a situation that makes the
// simulator answer it, compared by HTTP status and by skeleton: the same
// keys at every level and the same code/status/action values, with ids,
// times, messages and other values aside.

// skeleton keeps structure and Zoho's discriminating values.
func skeleton(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		if key == "headers" {
			return "headers"
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = skeleton(k, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = skeleton(key, e)
		}
		return out
	case string:
		if key == "code" || key == "status" || key == "action" || key == "error" {
			return x
		}
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func loadSample(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(repoFile(t, "testdata/zoho/"+name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decode sample %s: %v", name, err)
	}
	return out
}

func sampleStatus(t *testing.T, name string) int {
	t.Helper()
	var status int
	if _, err := fmt.Sscanf(name, "%d-", &status); err != nil {
		t.Fatalf("sample name %s: %v", name, err)
	}
	return status
}

type conformanceCase struct {
	sample string
	cfg    Config
	run    func(h *harness) (int, map[string]any)
}

func TestConformanceWithSamples(t *testing.T) {
	cases := conformanceCases()
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.sample] = true
		t.Run(tc.sample, func(t *testing.T) {
			h := newHarness(t, tc.cfg)
			gotStatus, got := tc.run(h)
			want := loadSample(t, tc.sample)
			if wantStatus := sampleStatus(t, tc.sample); gotStatus != wantStatus {
				t.Errorf("status = %d, want %d (body %v)", gotStatus, wantStatus, got)
			}
			if g, w := skeleton("", got), skeleton("", want); !reflect.DeepEqual(g, w) {
				gj, _ := json.MarshalIndent(g, "", " ")
				wj, _ := json.MarshalIndent(w, "", " ")
				t.Errorf("skeleton differs\n got: %s\nwant: %s", gj, wj)
			}
		})
	}
	entries, err := os.ReadDir(repoFile(t, "testdata/zoho"))
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && !covered[e.Name()] {
			missing = append(missing, e.Name())
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("samples without a conformance case: %v", missing)
	}
}

func lead(last, email string) map[string]any {
	return map[string]any{"Last_Name": last, "Email": email}
}

func mustWrite(h *harness, method, path string, body any, want int) map[string]any {
	h.t.Helper()
	status, out := h.call(method, path, body)
	if status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %v", method, path, status, want, out)
	}
	return out
}

func idOf(t *testing.T, body map[string]any, i int) string {
	t.Helper()
	id, _ := detail(data(t, body)[i], "id").(string)
	if id == "" {
		t.Fatalf("no id in item %d of %v", i, body)
	}
	return id
}

func tokenForm(grant string, kv ...string) url.Values {
	v := url.Values{"grant_type": {grant}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func conformanceCases() []conformanceCase {
	return append(recordCases(), append(compositeCases(), authCases()...)...)
}

func recordCases() []conformanceCase {
	return []conformanceCase{
		{sample: "201-SUCCESS-insert-all.json", run: func(h *harness) (int, map[string]any) {
			return h.call("POST", "/crm/v8/Leads", records(lead("A", "a@example.com"), lead("B", "b@example.com"), lead("C", "c@example.com")))
		}},
		{sample: "200-SUCCESS-upsert-update-and-insert.json", run: func(h *harness) (int, map[string]any) {
			mustWrite(h, "POST", "/crm/v8/Leads", records(lead("A", "a@example.com"),
				map[string]any{"Last_Name": "P", "Phone": "+1 555 0100"}), 201)
			return h.call("POST", "/crm/v8/Leads/upsert", records(
				lead("A2", "A@example.com"), lead("N", "new@example.com"),
				map[string]any{"Last_Name": "P2", "Phone": "+1 555 0100"}))
		}},
		{sample: "207-MULTI_STATUS-mixed.json", run: func(h *harness) (int, map[string]any) {
			mustWrite(h, "POST", "/crm/v8/Leads", records(lead("Old", "dup@example.com")), 201)
			return h.call("POST", "/crm/v8/Leads", records(lead("A", "a@example.com"),
				map[string]any{"Last_Name": "B", "Annual_Revenue": "lots"},
				map[string]any{"First_Name": "NoLast"},
				lead("D", "dup@example.com"), lead("E", "e@example.com")))
		}},
		{sample: "400-DUPLICATE_DATA-cross-module.json", run: func(h *harness) (int, map[string]any) {
			mustWrite(h, "POST", "/crm/v8/Contacts", records(lead("Old", "c@example.com")), 201)
			return h.call("POST", "/crm/v8/Contacts", records(lead("New", "c@example.com")))
		}},
		{sample: "400-INVALID_DATA-datetime.json", run: func(h *harness) (int, map[string]any) {
			return h.call("POST", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A", "Demo_Start": "2025-01-01T10:00:00.000Z"}))
		}},
		{sample: "400-INVALID_DATA-jsonarray-multiselect.json", run: func(h *harness) (int, map[string]any) {
			return h.call("POST", "/crm/v2/Leads", records(map[string]any{"Last_Name": "A", "Interests": "Billing;Support"}))
		}},
		{sample: "400-INVALID_DATA-maximum_length.json", run: func(h *harness) (int, map[string]any) {
			return h.call("POST", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A", "First_Name": strings.Repeat("x", 300)}))
		}},
		{sample: "400-MANDATORY_NOT_FOUND.json", run: func(h *harness) (int, map[string]any) {
			return h.call("POST", "/crm/v8/Leads", records(map[string]any{"First_Name": "A"}))
		}},
		{sample: "400-LIMIT_EXCEEDED-over-100-records.json", run: func(h *harness) (int, map[string]any) {
			recs := make([]map[string]any, 101)
			for i := range recs {
				recs[i] = lead("L", fmt.Sprintf("l%d@example.com", i))
			}
			return h.call("POST", "/crm/v8/Leads", records(recs...))
		}},
		{sample: "400-INVALID_MODULE.json", run: func(h *harness) (int, map[string]any) {
			return h.call("POST", "/crm/v8/Widgets", records(lead("A", "a@example.com")))
		}},
		{sample: "400-INVALID_REQUEST_METHOD.json", run: func(h *harness) (int, map[string]any) {
			return h.call("PATCH", "/crm/v8/Leads", records(lead("A", "a@example.com")))
		}},
		{sample: "404-INVALID_URL_PATTERN.json", run: func(h *harness) (int, map[string]any) {
			return h.call("POST", "/crm/v9/Leads", records(lead("A", "a@example.com")))
		}},
		{sample: "429-TOO_MANY_REQUESTS.json", cfg: Config{DailyCredits: 2}, run: func(h *harness) (int, map[string]any) {
			mustWrite(h, "POST", "/crm/v8/Leads", records(lead("A", "a@example.com")), 201)
			mustWrite(h, "POST", "/crm/v8/Leads", records(lead("B", "b@example.com")), 201)
			return h.call("POST", "/crm/v8/Leads", records(lead("C", "c@example.com")))
		}},
	}
}

func sub(id, method, uri string, body any) map[string]any {
	m := map[string]any{"sub_request_id": id, "method": method, "uri": uri}
	if body != nil {
		m["body"] = body
	}
	return m
}

func composite(rollback bool, subs ...map[string]any) map[string]any {
	arr := make([]any, len(subs))
	for i, s := range subs {
		arr[i] = s
	}
	return map[string]any{"rollback_on_fail": rollback, "__composite_requests": arr}
}

func compositeCases() []conformanceCase {
	return []conformanceCase{
		{sample: "200-composite-all-success.json", run: func(h *harness) (int, map[string]any) {
			return h.call("POST", "/crm/v8/__composite_requests", composite(false,
				sub("con", "POST", "/crm/v8/Contacts/upsert", records(lead("Doe", "doe@example.com"))),
				sub("acc", "POST", "/crm/v8/Accounts", records(map[string]any{"Account_Name": "Example Co"}))))
		}},
		{sample: "207-composite-mixed.json", cfg: Config{Unconfirmed: Unconfirmed{CompositeSomeFailedStatus: 207}},
			run: func(h *harness) (int, map[string]any) {
				return h.call("POST", "/crm/v8/__composite_requests", composite(false,
					sub("con", "POST", "/crm/v8/Contacts/upsert", records(lead("Doe", "doe@example.com"))),
					sub("deal", "POST", "/crm/v8/Deals", records(map[string]any{"Deal_Name": "D",
						"Contact_Name": map[string]any{"id": "@{con:$.data[0].details.id}"}}))))
			}},
	}
}

func authCases() []conformanceCase {
	return []conformanceCase{
		{sample: "200-oauth-grant-success.json", run: func(h *harness) (int, map[string]any) {
			code := h.sim.GrantCode("eu", testClientID, "ZohoCRM.modules.ALL,ZohoCRM.settings.fields.READ")
			return h.tokenCall("eu", tokenForm("authorization_code", "code", code))
		}},
		{sample: "200-oauth-refresh-success.json", run: func(h *harness) (int, map[string]any) {
			refresh := h.sim.SeedRefreshToken("eu", testClientID)
			return h.tokenCall("eu", tokenForm("refresh_token", "refresh_token", refresh))
		}},
		{sample: "200-oauth-invalid_client.json", run: func(h *harness) (int, map[string]any) {
			refresh := h.sim.SeedRefreshToken("eu", testClientID)
			form := tokenForm("refresh_token", "refresh_token", refresh, "client_secret", "wrong")
			return h.tokenCall("eu", form)
		}},
		{sample: "200-oauth-invalid_code.json", run: func(h *harness) (int, map[string]any) {
			code := h.sim.GrantCode("eu", testClientID, "")
			h.tokenCall("eu", tokenForm("authorization_code", "code", code))
			return h.tokenCall("eu", tokenForm("authorization_code", "code", code))
		}},
		{sample: "400-oauth-Access_Denied.json", cfg: Config{Unconfirmed: Unconfirmed{AccessDeniedStatus: 400}},
			run: func(h *harness) (int, map[string]any) {
				refresh := h.sim.SeedRefreshToken("eu", testClientID)
				for range 10 {
					h.tokenCall("eu", tokenForm("refresh_token", "refresh_token", refresh))
				}
				return h.tokenCall("eu", tokenForm("refresh_token", "refresh_token", refresh))
			}},
		{sample: "401-INVALID_TOKEN.json", run: func(h *harness) (int, map[string]any) {
			status, _, body := h.callWith("us", "Zoho-oauthtoken 1000.nope.nope", "POST", "/crm/v8/Leads", records(lead("A", "a@example.com")), nil)
			return status, body
		}},
	}
}
