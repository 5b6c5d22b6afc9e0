package plan

import (
	"fmt"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

// src is the Source of message m.
func src(m string) []core.Source {
	return []core.Source{{MessageID: m, EventID: "evt-" + m, Source: "stripe"}}
}

// contact is a Contacts upsert on Email from message m.
func contact(m, email string, fields ...any) *core.Operation {
	f := map[string]any{"Email": email, "Last_Name": "L" + m}
	for i := 0; i+1 < len(fields); i += 2 {
		f[fields[i].(string)] = fields[i+1]
	}
	return &core.Operation{ID: "contact", Org: "acme", Module: "Contacts", Action: core.Upsert,
		Match: []string{"Email"}, Fields: f, Sources: src(m)}
}

// deal is a Deals insert from message m whose Contact_Name refers to the
// message's contact.
func deal(m string) *core.Operation {
	return &core.Operation{ID: "deal", Org: "acme", Module: "Deals", Action: core.Insert,
		Fields:  map[string]any{"Deal_Name": "Order " + m, "Stage": "Closed Won"},
		Refs:    []core.Ref{{Field: "Contact_Name", Op: "contact"}},
		Sources: src(m)}
}

// checkouts returns n contact+deal chains.
func checkouts(n int) []*core.Operation {
	var ops []*core.Operation
	for i := range n {
		m := fmt.Sprintf("co%d", i)
		ops = append(ops, contact(m, fmt.Sprintf("buyer%d@example.com", i)), deal(m))
	}
	return ops
}

// customers returns n lone contact upserts.
func customers(n int) []*core.Operation {
	var ops []*core.Operation
	for i := range n {
		m := fmt.Sprintf("cu%d", i)
		ops = append(ops, contact(m, fmt.Sprintf("cust%d@example.com", i)))
	}
	return ops
}

func mustMake(t testing.TB, ops []*core.Operation, lim Limits) *Plan {
	t.Helper()
	p, err := Make(ops, lim)
	if err != nil {
		t.Fatalf("Make: %v", err)
	}
	return p
}

// shape summarises a plan: per stage, "B<module>:<records>" or "C<subs>".
func shape(p *Plan) [][]string {
	var out [][]string
	for _, st := range p.Stages {
		var s []string
		for _, c := range st {
			if c.Kind == core.Composite {
				s = append(s, fmt.Sprintf("C%d", len(c.Subs)))
			} else {
				s = append(s, fmt.Sprintf("B%s:%d", c.Module, len(c.Records)))
			}
		}
		out = append(out, s)
	}
	return out
}

// leftovers are three lone records of three modules.
func leftovers() []*core.Operation {
	mk := func(m, module, field string) *core.Operation {
		return &core.Operation{ID: "op", Org: "acme", Module: module, Action: core.Upsert, Match: []string{field},
			Fields: map[string]any{field: "v-" + m}, Sources: src(m)}
	}
	return []*core.Operation{mk("l1", "Leads", "Email"), mk("c1", "Contacts", "Email"), mk("a1", "Accounts", "Account_Name")}
}

// accounts is a lone Accounts upsert from message m.
func accounts(m string) *core.Operation {
	return &core.Operation{ID: "op", Org: "acme", Module: "Accounts", Action: core.Upsert, Match: []string{"Account_Name"},
		Fields: map[string]any{"Account_Name": "Co " + m}, Sources: src(m)}
}
