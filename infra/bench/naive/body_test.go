package naive

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

func TestCallFor(t *testing.T) {
	contact := core.Operation{ID: "buyer", Module: "Contacts", Action: core.Upsert, Match: []string{"Email"},
		Fields: map[string]any{"Email": "a@example.com"}}
	deal := core.Operation{ID: "deal", Module: "Deals", Action: core.Upsert, Match: []string{"Deal_Name"},
		Fields: map[string]any{"Deal_Name": "D"}, Refs: []core.Ref{{Field: "Contact_Name", Op: "buyer"}}}
	update := core.Operation{ID: "u", Module: "Leads", Action: core.Update, RecordID: "42", Trigger: []string{},
		Fields: map[string]any{"Last_Name": "L"}}
	insert := core.Operation{ID: "i", Module: "Leads", Action: core.Insert, Fields: map[string]any{"Last_Name": "L"}}
	cases := []struct {
		name        string
		ops         []core.Operation
		method      string
		path        string
		units       int
		bodyHas     []string
		bodyHasNone []string
	}{
		{"upsert", []core.Operation{contact}, "POST", "/crm/v8/Contacts/upsert", 1,
			[]string{`"duplicate_check_fields":["Email"]`, `"data":[{"Email":"a@example.com"}]`}, []string{"trigger"}},
		{"update", []core.Operation{update}, "PUT", "/crm/v8/Leads/42", 1, []string{`"trigger":[]`}, nil},
		{"insert", []core.Operation{insert}, "POST", "/crm/v8/Leads", 1, []string{`"Last_Name":"L"`}, []string{"duplicate_check_fields"}},
		{"chain", []core.Operation{contact, deal}, "POST", "/crm/v8/__composite_requests", 5,
			[]string{`"sub_request_id":"buyer"`, `"Contact_Name":{"id":"@{buyer:$.data[0].details.id}"}`,
				`"uri":"/crm/v8/Deals/upsert"`, `"parallel_execution":false`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := callFor(c.ops)
			if err != nil {
				t.Fatal(err)
			}
			if r.method != c.method || r.path != c.path || r.units != c.units {
				t.Errorf("call = %s %s (%d units), want %s %s (%d)", r.method, r.path, r.units, c.method, c.path, c.units)
			}
			for _, s := range c.bodyHas {
				if !strings.Contains(string(r.body), s) {
					t.Errorf("body %s lacks %s", r.body, s)
				}
			}
			for _, s := range c.bodyHasNone {
				if strings.Contains(string(r.body), s) {
					t.Errorf("body %s has %s", r.body, s)
				}
			}
		})
	}
	if r, err := callFor(nil); r != nil || err != nil {
		t.Errorf("callFor(nil) = %v, %v; want nothing", r, err)
	}
}

func TestUnits(t *testing.T) {
	u := newUnits(5)
	ctx := context.Background()
	if err := u.acquire(ctx, 4); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() { got <- u.acquire(ctx, 5) }()
	select {
	case err := <-got:
		t.Fatalf("a 5-unit acquire got through with 1 unit free: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	u.release(4)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := u.acquire(cctx, 1); err == nil {
		t.Error("acquire with no unit free returned without error before its context ended")
	}
}
