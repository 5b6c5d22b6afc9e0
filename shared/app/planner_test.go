package app

import (
	"fmt"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/ledger"
)

// TestPlannerKeepsFullCallsWhenSubCannotBind plans 1,100 upserts in one
// group (11 calls of 100 records, each needing a sub slot): with a sub
// share at least the unit share, calls stay at 100 records; with a smaller
// sub share the planner may still avoid sub slots with 10-record calls.
func TestPlannerKeepsFullCallsWhenSubCannotBind(t *testing.T) {
	var ops []*core.Operation
	for i := range 1100 {
		id := fmt.Sprintf("m%d", i)
		ops = append(ops, &core.Operation{ID: "c", Org: "acme", Module: "Contacts", Action: core.Upsert,
			Match: []string{"Email"}, Fields: map[string]any{"Email": id + "@example.com"},
			Sources: []core.Source{{MessageID: id, Op: "c", EventID: id}}})
	}
	cases := []struct {
		name           string
		units, sub     int
		calls, records int // calls in the stage, records in its first call
	}{
		{"sub equals units", 10, 10, 11, 100},
		{"sub above units", 5, 10, 11, 100},
		{"sub below units", 20, 2, 110, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Planner{Limits: map[string]ledger.Limits{"acme": {Concurrency: c.units, Sub: c.sub}}}
			stages, _, err := p.Plan("acme", ops)
			if err != nil {
				t.Fatal(err)
			}
			if len(stages) != 1 || len(stages[0]) != c.calls || len(stages[0][0].Records) != c.records {
				t.Errorf("got %d stages, %d calls of %d records; want 1 stage, %d calls of %d",
					len(stages), len(stages[0]), len(stages[0][0].Records), c.calls, c.records)
			}
		})
	}
}
