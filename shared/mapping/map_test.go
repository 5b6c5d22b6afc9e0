package mapping

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
)

const testConfig = `version: 1
orgs:
  o: {data_center: us, edition: free, users: 1, credit_share: 1, concurrency_share: 1,
      client_id: env:ID, client_secret: env:SECRET}
picklists:
  stage: {won: Closed Won}
sources:
  s:
    org: o
    verify: {scheme: none}
    event_id: {expr: evt}
    routes:
      - name: drop-tests
        when: test
        ignore: true
      - name: main
        when: kind == 'order'
        ops:
          - id: contact
            module: Contacts
            action: upsert
            when: email || cid
            match: [Email, Ext_ID]
            trigger: []
            fields:
              Email: email(email)
              Ext_ID: to_string(cid)
              Last_Name: {expr: name, if_empty: fail}
              Phone: {expr: phone, if_empty: "null"}
              Notes: notes
          - id: deal
            module: Deals
            action: insert
            fields:
              Deal_Name: "'Order'"
              Stage: picklist(stage, 'stage', 'Qualification')
              Amount: to_number(total)
              Contact_Name: {ref: contact}
      - name: fix
        when: kind == 'fix'
        ops:
          - id: patch
            module: Leads
            action: update
            record_id: crm_id
            fields:
              Description: $headers."x-note"
  byheader:
    org: o
    verify: {scheme: none}
    event_id: {header: X-Event-Id}
    routes:
      - {name: all, ignore: true}
  byhash:
    org: o
    verify: {scheme: none}
    routes:
      - {name: all, ignore: true}
`

func testMapper(t *testing.T) *Mapper {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig), "test.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

func mapJSON(t *testing.T, m *Mapper, body string, headers map[string]string) ([]core.Operation, error) {
	t.Helper()
	env := &core.Envelope{V: 1, Source: "s", EventID: "e1", Org: "o", ContentType: "application/json", Headers: headers}
	return m.Map(env, []byte(body))
}

func TestMapChain(t *testing.T) {
	m := testMapper(t)
	ops, err := mapJSON(t, m, `{"kind":"order","email":" A@B.CO ","cid":7300000000000000123,"name":"Ada","notes":"  ","stage":"won","total":"12.50"}`, nil)
	if err != nil {
		t.Fatalf("Map: %v", err)
	}
	if len(ops) != 2 {
		t.Fatalf("got %d ops, want 2", len(ops))
	}
	c, d := ops[0], ops[1]
	wantFields := map[string]any{"Email": "a@b.co", "Ext_ID": "7300000000000000123", "Last_Name": "Ada", "Phone": nil}
	if !reflect.DeepEqual(c.Fields, wantFields) {
		t.Errorf("contact fields = %v, want %v (blank Notes omitted, Phone sent as null)", c.Fields, wantFields)
	}
	if !reflect.DeepEqual(c.Match, []string{"Email", "Ext_ID"}) {
		t.Errorf("match = %v", c.Match)
	}
	if c.Trigger == nil || len(c.Trigger) != 0 {
		t.Errorf("trigger = %#v, want an empty non-nil slice", c.Trigger)
	}
	if c.ID != "contact" || c.Org != "o" || c.Route != "main" || c.Module != "Contacts" || c.Action != core.Upsert {
		t.Errorf("contact header = %+v", c)
	}
	if d.Trigger != nil {
		t.Errorf("deal trigger = %#v, want nil (Zoho's default)", d.Trigger)
	}
	if got := d.Fields["Amount"]; got != json.Number("12.50") {
		t.Errorf("amount = %#v, want json.Number 12.50", got)
	}
	if got := d.Fields["Stage"]; got != "Closed Won" {
		t.Errorf("stage = %v", got)
	}
	if want := []core.Ref{{Field: "Contact_Name", Op: "contact"}}; !reflect.DeepEqual(d.Refs, want) {
		t.Errorf("refs = %v, want %v", d.Refs, want)
	}
	if _, ok := d.Fields["Contact_Name"]; ok {
		t.Error("a ref field must not be in Fields")
	}
}

func TestMapRules(t *testing.T) {
	m := testMapper(t)
	tests := []struct {
		name     string
		body     string
		headers  map[string]string
		wantOps  int
		wantCode string
		check    func(t *testing.T, ops []core.Operation)
	}{
		{name: "no route matches", body: `{"kind":"other"}`},
		{name: "ignore wins over a matching route", body: `{"kind":"order","test":true,"email":"a@b.co","name":"A"}`},
		{name: "skipped op drops the ref", body: `{"kind":"order","name":"A"}`, wantOps: 1,
			check: func(t *testing.T, ops []core.Operation) {
				if ops[0].ID != "deal" || ops[0].Refs != nil {
					t.Errorf("ops = %+v, want the deal alone without refs", ops)
				}
				if ops[0].Fields["Stage"] != "Qualification" {
					t.Errorf("stage = %v, want the picklist default", ops[0].Fields["Stage"])
				}
			}},
		{name: "match keeps present keys", body: `{"kind":"order","cid":5,"name":"A"}`, wantOps: 2,
			check: func(t *testing.T, ops []core.Operation) {
				if !reflect.DeepEqual(ops[0].Match, []string{"Ext_ID"}) {
					t.Errorf("match = %v, want [Ext_ID]", ops[0].Match)
				}
			}},
		{name: "no usable match key", body: `{"kind":"order","email":"not-an-email","name":"A"}`, wantCode: CodeNoMatchKey},
		{name: "required field empty", body: `{"kind":"order","email":"a@b.co","name":" "}`, wantCode: CodeEmptyField},
		{name: "expression type error", body: `{"kind":"order","email":5,"name":"A"}`, wantCode: CodeExpression},
		{name: "update with record id", body: `{"kind":"fix","crm_id":"4150868000000623001"}`, headers: map[string]string{"X-Note": "hi"}, wantOps: 1,
			check: func(t *testing.T, ops []core.Operation) {
				if ops[0].RecordID != "4150868000000623001" || ops[0].Fields["Description"] != "hi" {
					t.Errorf("op = %+v", ops[0])
				}
			}},
		{name: "update without record id", body: `{"kind":"fix","crm_id":"abc"}`, wantCode: CodeNoRecordID},
		{name: "not JSON", body: `{"kind":`, wantCode: CodeBadBody},
		{name: "trailing data", body: `{} {}`, wantCode: CodeBadBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops, err := mapJSON(t, m, tt.body, tt.headers)
			if tt.wantCode != "" {
				var me *Error
				if !errors.As(err, &me) || me.Code != tt.wantCode {
					t.Fatalf("err = %v, want *Error with code %s", err, tt.wantCode)
				}
				if ops != nil {
					t.Errorf("ops = %v alongside an error", ops)
				}
				return
			}
			if err != nil {
				t.Fatalf("Map: %v", err)
			}
			if len(ops) != tt.wantOps {
				t.Fatalf("got %d ops, want %d: %+v", len(ops), tt.wantOps, ops)
			}
			if tt.check != nil {
				tt.check(t, ops)
			}
		})
	}
}

func TestMapErrorNamesPlace(t *testing.T) {
	m := testMapper(t)
	_, err := mapJSON(t, m, `{"kind":"order","email":"x","name":"A"}`, nil)
	want := "mapping source s route main op contact: no usable match key: Email, Ext_ID all empty"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want prefix %q", err, want)
	}
}

func TestMapOtherContentType(t *testing.T) {
	m := testMapper(t)
	env := &core.Envelope{Source: "s", ContentType: "text/plain"}
	if ops, err := m.Map(env, []byte("kind=order, not JSON")); err != nil || ops != nil {
		t.Errorf("text body: ops %v, err %v; want no route to match a string and no error", ops, err)
	}
	if _, err := m.Map(env, []byte{0xff, 0xfe}); err == nil {
		t.Error("a non-UTF-8 text body must fail")
	}
}

func TestMapUnknownSource(t *testing.T) {
	m := testMapper(t)
	_, err := m.Map(&core.Envelope{Source: "nope"}, []byte(`{}`))
	var me *Error
	if !errors.As(err, &me) || me.Code != CodeUnknownSource {
		t.Errorf("err = %v, want code %s", err, CodeUnknownSource)
	}
}

func TestMapForm(t *testing.T) {
	m := testMapper(t)
	env := &core.Envelope{Source: "s", ContentType: "application/x-www-form-urlencoded; charset=utf-8"}
	ops, err := m.Map(env, []byte("kind=order&email=a%40b.co&name=Ada+Lovelace&notes=x&notes=y&total=3"))
	if err != nil {
		t.Fatalf("Map: %v", err)
	}
	if len(ops) != 2 || ops[0].Fields["Last_Name"] != "Ada Lovelace" || ops[0].Fields["Email"] != "a@b.co" {
		t.Fatalf("ops = %+v", ops)
	}
	if got, want := ops[0].Fields["Notes"], []any{"x", "y"}; !reflect.DeepEqual(got, want) {
		t.Errorf("repeated key = %#v, want %#v", got, want)
	}
	if _, err := m.Map(env, []byte("kind=%zz")); err == nil {
		t.Error("a malformed form must fail")
	}
}

func TestEventID(t *testing.T) {
	m := testMapper(t)
	long := strings.Repeat("x", 300)
	tests := []struct {
		name, source, body string
		headers            http.Header
		want               string
	}{
		{"expr string", "s", `{"evt":"evt_1"}`, nil, "evt_1"},
		{"expr big number", "s", `{"evt":7300000000000000123}`, nil, "7300000000000000123"},
		{"expr null falls back to hash", "s", `{}`, nil, hashHex([]byte(`{}`))},
		{"long id is hashed", "s", `{"evt":"` + long + `"}`, nil, "sha256:" + hashHex([]byte(long))},
		{"header", "byheader", `{}`, http.Header{"X-Event-Id": {" abc "}}, "abc"},
		{"missing header falls back to hash", "byheader", `x`, http.Header{}, hashHex([]byte("x"))},
		{"no config hashes", "byhash", `anything`, nil, hashHex([]byte("anything"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.EventID(tt.source, tt.headers, []byte(tt.body), "application/json")
			if err != nil {
				t.Fatalf("EventID: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := m.EventID("nope", nil, nil, ""); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("unknown source err = %v", err)
	}
	var be *BodyError
	if _, err := m.EventID("s", nil, []byte("{"), "application/json"); !errors.As(err, &be) {
		t.Errorf("bad body err = %v, want *BodyError", err)
	}
	if _, err := m.EventID("s", nil, []byte(`{"evt":{}}`), "application/json"); err == nil {
		t.Error("an object id must be an error")
	}
}

func TestNewNil(t *testing.T) {
	if _, err := New(nil); err == nil {
		t.Error("New(nil) must fail")
	}
}
