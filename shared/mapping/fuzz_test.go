package mapping

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

// FuzzMap feeds arbitrary bodies and headers to every source of the
// shipped config. Map must never panic, must return either operations or
// an *Error, and every operation it returns must be well formed.
func FuzzMap(f *testing.F) {
	m := defaultMapper(f)
	sources := []string{"stripe", "shopify", "typeform", "calendly"}
	for _, s := range allSamples(f) {
		if len(s.body) > 64<<10 {
			continue // the 315 KB order makes every mutation and minimisation slow
		}
		for i, name := range sources {
			if name == s.source {
				f.Add(uint8(i), s.body, s.headers.Get("X-Shopify-Topic"), s.contentType)
			}
		}
	}
	f.Add(uint8(0), []byte(`{"type":"customer.created","data":{"object":{"email":"a@b.co","id":1e999}}}`), "", "application/json")
	f.Add(uint8(1), []byte(`id=1&email=x`), "customers/create", "application/x-www-form-urlencoded")
	f.Fuzz(func(t *testing.T, src uint8, body []byte, topic, contentType string) {
		source := sources[int(src)%len(sources)]
		env := &core.Envelope{V: 1, Source: source, EventID: "e", Org: "acme", ContentType: contentType,
			Headers: map[string]string{"x-shopify-topic": topic}}
		ops, err := m.Map(env, body)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("Map returned %T %v, want *Error", err, err)
			}
			if ops != nil {
				t.Fatal("operations returned alongside an error")
			}
			return
		}
		for _, op := range ops {
			checkOperation(t, op)
		}
		if _, err := m.EventID(source, nil, body, contentType); err != nil {
			var be *BodyError
			if !errors.As(err, &be) && len(ops) > 0 {
				t.Fatalf("EventID failed on a body Map read: %v", err)
			}
		}
	})
}

// checkOperation asserts what the sync side relies on.
func checkOperation(t *testing.T, op core.Operation) {
	t.Helper()
	if op.ID == "" || op.Org == "" || op.Module == "" || !op.Action.Valid() {
		t.Fatalf("incomplete operation %+v", op)
	}
	if op.Action == core.Upsert {
		if _, ok := op.MatchValues(); !ok {
			t.Fatalf("upsert without a usable match key: %+v", op)
		}
	}
	if _, err := json.Marshal(op); err != nil {
		t.Fatalf("operation does not marshal: %v", err)
	}
	for _, r := range op.Refs {
		if _, ok := op.Fields[r.Field]; ok {
			t.Fatalf("ref field %s also set in Fields", r.Field)
		}
	}
}
