package plan

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

func TestMakeShapes(t *testing.T) {
	tests := []struct {
		name      string
		ops       []*core.Operation
		lim       Limits
		want      [][]string
		wantCost  Cost
		wantBound Binding
	}{
		{"one checkout is one composite", checkouts(1), Limits{},
			[][]string{{"C2"}}, Cost{1, 5, 1, 1}, None},
		{"two checkouts share a composite", checkouts(2), Limits{},
			[][]string{{"C4"}}, Cost{1, 5, 1, 1}, None},
		{"a hundred checkouts are two batch stages", checkouts(100), Limits{},
			[][]string{{"BContacts:100"}, {"BDeals:100"}}, Cost{20, 2, 2, 2}, None},
		{"concurrency binding keeps one checkout in batches", checkouts(1), Limits{Bind: Concurrency},
			[][]string{{"BContacts:1"}, {"BDeals:1"}}, Cost{2, 2, 0, 2}, Concurrency},
		{"105 customers: 100 + 5", customers(105), Limits{},
			[][]string{{"BContacts:100", "BContacts:5"}}, Cost{11, 2, 1, 2}, None},
		{"sub-concurrency binding chunks by ten", customers(25), Limits{Bind: SubConcurrency},
			[][]string{{"BContacts:10", "BContacts:10", "BContacts:5"}}, Cost{3, 3, 0, 3}, SubConcurrency},
		{"auto picks sub-concurrency when no slot is free", customers(25), Limits{Bind: Auto, Units: 20, Sub: 0, Credits: -1},
			[][]string{{"BContacts:10", "BContacts:10", "BContacts:5"}}, Cost{3, 3, 0, 3}, SubConcurrency},
		{"auto with room binds nothing", customers(25), Limits{Bind: Auto, Units: 20, Sub: 10, Credits: 1000},
			[][]string{{"BContacts:25"}}, Cost{3, 1, 1, 1}, None},
		{"auto: too few units for a composite", checkouts(2), Limits{Bind: Auto, Units: 3, Sub: 10, Credits: -1},
			[][]string{{"BContacts:2"}, {"BDeals:2"}}, Cost{2, 2, 0, 2}, Concurrency},
		{"auto: credits short", leftovers(), Limits{Bind: Auto, Units: -1, Sub: -1, Credits: 2},
			[][]string{{"C3"}}, Cost{1, 5, 1, 1}, Credits},
		{"leftovers of three modules stay in batches by default", leftovers(), Limits{},
			[][]string{{"BLeads:1", "BContacts:1", "BAccounts:1"}}, Cost{3, 3, 0, 3}, None},
		{"leftovers packed into one composite when credits bind", leftovers(), Limits{Bind: Credits},
			[][]string{{"C3"}}, Cost{1, 5, 1, 1}, Credits},
		{"small tails of two modules share a composite when credits bind",
			append(customers(100), leftovers()[0], leftovers()[2], accounts("a2")), Limits{Bind: Credits},
			[][]string{{"BContacts:100", "C3"}}, Cost{11, 6, 2, 2}, Credits},
		{"full batch plus a leftover when credits bind", append(customers(100), leftovers()[0]), Limits{Bind: Credits},
			[][]string{{"BContacts:100", "BLeads:1"}}, Cost{11, 2, 1, 2}, Credits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustMake(t, tt.ops, tt.lim)
			if got := shape(p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("shape = %v, want %v", got, tt.want)
			}
			if p.Cost != tt.wantCost {
				t.Errorf("cost = %+v, want %+v", p.Cost, tt.wantCost)
			}
			if p.Bind != tt.wantBound {
				t.Errorf("bind = %v, want %v", p.Bind, tt.wantBound)
			}
			if len(p.Rejected) != 0 {
				t.Errorf("rejected = %v", p.Rejected)
			}
		})
	}
}

func TestCoalesceLaterWins(t *testing.T) {
	a := contact("m1", "Ada@Example.com", "Phone", "1", "City", "Paris")
	b := contact("m2", "ada@example.COM", "Phone", "2")
	b.Trigger = []string{"workflow"}
	p := mustMake(t, []*core.Operation{a, b}, Limits{})
	if p.Ops != 1 {
		t.Fatalf("ops = %d, want 1", p.Ops)
	}
	op := p.Stages[0][0].Records[0]
	want := map[string]any{"Email": "ada@example.COM", "Last_Name": "Lm2", "Phone": "2", "City": "Paris"}
	if !reflect.DeepEqual(op.Fields, want) {
		t.Errorf("fields = %v, want %v", op.Fields, want)
	}
	if len(op.Sources) != 2 || op.Sources[0].MessageID != "m1" || op.Sources[1].MessageID != "m2" {
		t.Errorf("sources = %+v, want m1 then m2", op.Sources)
	}
	if op.Sources[0].Op != "contact" {
		t.Errorf("source op = %q, want contact", op.Sources[0].Op)
	}
	if op.Trigger != nil {
		t.Errorf("trigger = %v, want nil (a nil list absorbs)", op.Trigger)
	}
	if a.Fields["Phone"] != "1" {
		t.Errorf("input modified: %v", a.Fields)
	}
}

func TestCoalesceResolvesRefsAcrossEvents(t *testing.T) {
	ops := append(customers(0), contact("m1", "x@example.com"), contact("m2", "X@example.com"), deal("m2"))
	p := mustMake(t, ops, Limits{})
	if p.Ops != 2 {
		t.Fatalf("ops = %d, want 2", p.Ops)
	}
	var d, c *core.Operation
	for _, call := range p.Calls() {
		for _, op := range call.Operations() {
			if op.Module == "Deals" {
				d = op
			} else {
				c = op
			}
		}
	}
	if d.RefTargets["Contact_Name"] != c {
		t.Errorf("deal ref target = %p, want the coalesced contact %p", d.RefTargets["Contact_Name"], c)
	}
}

func TestRejections(t *testing.T) {
	dupA, dupB := contact("m1", "a@example.com"), contact("m1", "b@example.com")
	unknown := deal("m2")
	unknown.Refs[0].Op = "nobody"
	cycA := &core.Operation{ID: "a", Org: "o", Module: "Accounts", Action: core.Insert,
		Refs: []core.Ref{{Field: "Parent_Account", Op: "b"}}, Sources: src("m3")}
	cycB := &core.Operation{ID: "b", Org: "o", Module: "Accounts", Action: core.Insert,
		Refs: []core.Ref{{Field: "Parent_Account", Op: "a"}}, Sources: src("m3")}
	noRecord := &core.Operation{ID: "u", Org: "o", Module: "Contacts", Action: core.Update, Sources: src("m4")}
	dependent := deal("m5")
	badTarget := contact("m5", "c@example.com")
	badTarget.Action = "merge"
	good := contact("m6", "ok@example.com")
	tests := []struct {
		op   *core.Operation
		want error
	}{
		{dupA, ErrDuplicateID}, {dupB, ErrDuplicateID}, {unknown, ErrUnknownRef},
		{cycA, ErrRefCycle}, {cycB, ErrRefCycle}, {noRecord, ErrInvalidOp},
		{badTarget, ErrInvalidOp}, {dependent, ErrDependsOnRejected},
	}
	var ops []*core.Operation
	for _, tt := range tests {
		ops = append(ops, tt.op)
	}
	p := mustMake(t, append(ops, good), Limits{})
	got := map[*core.Operation]error{}
	for _, r := range p.Rejected {
		got[r.Op] = r.Err
	}
	for i, tt := range tests {
		if !errors.Is(got[tt.op], tt.want) {
			t.Errorf("case %d (%s): err = %v, want %v", i, tt.op.ID, got[tt.op], tt.want)
		}
	}
	if p.Ops != 1 || len(p.Rejected) != len(tests) {
		t.Errorf("ops = %d, rejected = %d; want 1, %d", p.Ops, len(p.Rejected), len(tests))
	}
}

func TestMergeCycleFallsBackToOrder(t *testing.T) {
	// Event 1: the contact refers to the account; event 2 the other way
	// round. Merging both would close a cycle, so event 2's writes come
	// after event 1's.
	acc := func(m string) *core.Operation {
		return &core.Operation{ID: "acc", Org: "o", Module: "Accounts", Action: core.Upsert,
			Match: []string{"Account_Name"}, Fields: map[string]any{"Account_Name": "Co"}, Sources: src(m)}
	}
	con := func(m string) *core.Operation {
		return &core.Operation{ID: "con", Org: "o", Module: "Contacts", Action: core.Upsert,
			Match: []string{"Email"}, Fields: map[string]any{"Email": "a@b.c"}, Sources: src(m)}
	}
	a1, c1, a2, c2 := acc("m1"), con("m1"), acc("m2"), con("m2")
	c1.Refs = []core.Ref{{Field: "Account_Name", Op: "acc"}}
	a2.Refs = []core.Ref{{Field: "Primary_Contact", Op: "con"}}
	p := mustMake(t, []*core.Operation{a1, c1, a2, c2}, Limits{Bind: Concurrency})
	if len(p.Rejected) != 0 || p.Ops != 4 {
		t.Fatalf("ops = %d, rejected = %v; want 4 and none", p.Ops, p.Rejected)
	}
	want := [][]string{{"BAccounts:1"}, {"BContacts:1"}, {"BContacts:1"}, {"BAccounts:1"}}
	if got := shape(p); !reflect.DeepEqual(got, want) {
		t.Errorf("shape = %v, want %v", got, want)
	}
}

func ExampleMake() {
	for _, n := range []int{2, 3, 100} {
		p, _ := Make(checkouts(n), Limits{})
		fmt.Println(n, "checkouts:", shape(p), p.Cost.Credits, "credits", p.Cost.Units, "units")
	}
	// Output:
	// 2 checkouts: [[C4]] 1 credits 5 units
	// 3 checkouts: [[BContacts:3] [BDeals:3]] 2 credits 2 units
	// 100 checkouts: [[BContacts:100] [BDeals:100]] 20 credits 2 units
}

func TestMakeEdges(t *testing.T) {
	p := mustMake(t, nil, Limits{})
	if len(p.Stages) != 0 || p.Cost != (Cost{}) || p.Ops != 0 {
		t.Errorf("empty input: %+v", p)
	}
	if _, err := Make(customers(1), Limits{Bind: Auto + 1}); err == nil {
		t.Error("unknown binding accepted")
	}
	p = mustMake(t, []*core.Operation{nil, contact("m1", "a@example.com")}, Limits{})
	if len(p.Rejected) != 1 || !errors.Is(p.Rejected[0].Err, ErrInvalidOp) || p.Ops != 1 {
		t.Errorf("nil operation: rejected %v, ops %d", p.Rejected, p.Ops)
	}
}
