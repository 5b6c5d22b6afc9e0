package zoho

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

func TestRequestShapes(t *testing.T) {
	update := &core.Call{Kind: core.Batch, Module: "Contacts", Action: core.Update, Trigger: []string{"workflow"},
		Records: []*core.Operation{{Module: "Contacts", Action: core.Update, RecordID: "9001",
			Fields: map[string]any{"Phone": "+1 555 <0100>", "Amount": json.Number("12345678901234567890")}}}}
	resolved := inserts(1)
	resolved.Records[0].Refs = []core.Ref{{Field: "Account_Name", Op: "acc"}}
	resolved.Records[0].Fields["Account_Name"] = map[string]any{"id": "77"}
	tests := []struct {
		name         string
		call         *core.Call
		method, path string
		body         string
	}{
		{"upsert", upsertContacts(2), "POST", "/crm/v8/Contacts/upsert",
			`{"data":[{"Email":"a@example.com","Last_Name":"Doe"},{"Email":"b@example.com","Last_Name":"Doe"}],"duplicate_check_fields":["Email"]}`},
		{"insert, resolved lookup", resolved, "POST", "/crm/v8/Leads",
			`{"data":[{"Account_Name":{"id":"77"},"Last_Name":"Doe"}]}`},
		{"update with trigger", update, "PUT", "/crm/v8/Contacts",
			`{"data":[{"Amount":12345678901234567890,"Phone":"+1 555 <0100>","id":"9001"}],"trigger":["workflow"]}`},
		{"composite chain", chain(), "POST", "/crm/v8/__composite_requests",
			`{"rollback_on_fail":false,"parallel_execution":false,"__composite_requests":[` +
				`{"sub_request_id":"contact_0","method":"POST","uri":"/crm/v8/Contacts/upsert","body":{"data":[{"Email":"ada@example.com","Last_Name":"Lovelace"}],"duplicate_check_fields":["Email"]}},` +
				`{"sub_request_id":"deal_1","method":"POST","uri":"/crm/v8/Deals","body":{"data":[{"Contact_Name":{"id":"@{contact_0:$.data[0].details.id}"},"Deal_Name":"Order 1","Stage":"Closed Won"}],"trigger":[]}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeZoho{status: 500, body: []byte(`{"code":"INTERNAL_ERROR","details":{},"message":"x","status":"error"}`)}
			c, tok := serve(t, f, WithAppVersion("1.2.3"))
			_, _ = c.Do(context.Background(), tok, tt.call)
			got := f.last(t)
			if got.Method != tt.method || got.Path != tt.path {
				t.Errorf("request = %s %s, want %s %s", got.Method, got.Path, tt.method, tt.path)
			}
			if got.Body != tt.body {
				t.Errorf("body =\n%s\nwant\n%s", got.Body, tt.body)
			}
			wantHeaders := map[string]string{"Authorization": "Zoho-oauthtoken 1000.test-access",
				"User-Agent": "zohosync/1.2.3", "Content-Type": "application/json"}
			for k, v := range wantHeaders {
				if got.Header.Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, got.Header.Get(k), v)
				}
			}
		})
	}
}

func TestVersionOption(t *testing.T) {
	f := &fakeZoho{status: 201, body: repoFile(t, "testdata/zoho/201-SUCCESS-insert-all.json")}
	c, tok := serve(t, f, WithVersion("v7"))
	if _, err := c.Do(context.Background(), tok, inserts(3)); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if p := f.last(t).Path; p != "/crm/v7/Leads" {
		t.Errorf("path = %s, want /crm/v7/Leads", p)
	}
	old, _ := NewClient(http.DefaultClient, WithVersion("v2"))
	if _, err := old.Do(context.Background(), tok, chain()); !errors.Is(err, ErrInvalidCall) {
		t.Errorf("composite on v2: err = %v, want ErrInvalidCall", err)
	}
	if _, err := NewClient(http.DefaultClient, WithVersion("8")); err == nil {
		t.Error("version 8 without v accepted")
	}
}

func TestInvalidCallsAreNotSent(t *testing.T) {
	tooMany := inserts(101)
	sixSubs := chain()
	for range 4 {
		sixSubs.Subs = append(sixSubs.Subs, core.Sub{ID: "x" + string(rune('a'+len(sixSubs.Subs))), Op: sixSubs.Subs[0].Op})
	}
	forward := chain()
	forward.Subs[0].Refs = map[string]string{"Contact_Name": "deal_1"}
	dupID := chain()
	dupID.Subs[1].ID = "contact_0"
	badID := chain()
	badID.Subs[0].ID = "_contact"
	badModule := inserts(1)
	badModule.Module = "Leads/../settings"
	tests := []struct {
		name string
		call *core.Call
	}{
		{"nil", nil}, {"empty batch", inserts(0)}, {"101 records", tooMany},
		{"six subs", sixSubs}, {"forward reference", forward}, {"duplicate sub id", dupID}, {"bad sub id", badID},
		{"module that is no API name", badModule},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeZoho{status: 200}
			c, tok := serve(t, f)
			_, err := c.Do(context.Background(), tok, tt.call)
			if !errors.Is(err, ErrInvalidCall) {
				t.Errorf("err = %v, want ErrInvalidCall", err)
			}
			if len(f.reqs) != 0 {
				t.Errorf("%d requests sent, want 0", len(f.reqs))
			}
		})
	}
}

func TestUnencodableRecordsAnsweredDead(t *testing.T) {
	call := inserts(3)
	call.Records[0].Fields["Rating"] = json.Number("not-a-number")
	call.Records[2].Refs = []core.Ref{{Field: "Account_Name", Op: "acc"}}
	f := &fakeZoho{status: 201, body: []byte(`{"data":[{"code":"SUCCESS","status":"success","message":"record added","details":{"id":"5"}}]}`)}
	c, tok := serve(t, f)
	rep, err := c.Do(context.Background(), tok, call)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if body := f.last(t).Body; body != `{"data":[{"Last_Name":"Doe"}]}` {
		t.Errorf("body = %s, want only the encodable record", body)
	}
	want := []struct {
		outcome core.Outcome
		code    string
	}{{core.Dead, "UNENCODABLE_FIELD"}, {core.Done, ""}, {core.Dead, "UNRESOLVED_REFERENCE"}}
	for i, w := range want {
		r := rep.Results[i]
		code := ""
		if r.Problem != nil {
			code = r.Problem.Code
		}
		if r.Outcome != w.outcome || code != w.code || r.Op != call.Records[i] {
			t.Errorf("result %d = %v %q, want %v %q", i, r.Outcome, code, w.outcome, w.code)
		}
	}
}

func TestCompositeDependentOfUnsentSubIsNotSent(t *testing.T) {
	call := chain()
	call.Subs[0].Op.Fields["Bad"] = json.Number("x")
	f := &fakeZoho{status: 200}
	c, tok := serve(t, f)
	rep, err := c.Do(context.Background(), tok, call)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if len(f.reqs) != 0 {
		t.Errorf("sent %d requests, want none", len(f.reqs))
	}
	if rep.Results[1].Outcome != core.Dead || rep.Results[1].Problem.Code != "DEPENDENCY_NOT_SENT" {
		t.Errorf("dependent = %v %+v, want dead DEPENDENCY_NOT_SENT", rep.Results[1].Outcome, rep.Results[1].Problem)
	}
}

func TestEmptyTokenNotSent(t *testing.T) {
	f := &fakeZoho{status: 200}
	c, tok := serve(t, f)
	tok.Access = ""
	if _, err := c.Do(context.Background(), tok, inserts(1)); !errors.Is(err, ErrInvalidCall) {
		t.Errorf("err = %v, want ErrInvalidCall", err)
	}
	if len(f.reqs) != 0 {
		t.Errorf("%d requests sent, want 0", len(f.reqs))
	}
}
