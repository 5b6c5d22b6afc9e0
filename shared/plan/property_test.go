package plan

import (
	"fmt"
	"reflect"
	"regexp"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
	"pgregory.net/rapid"
)

var modules = []string{"Contacts", "Deals", "Leads", "Accounts"}

// genOps draws the operations of many events: small pools of e-mails and
// record ids make coalescing likely; references point at earlier operations
// of the same event, so every event is valid.
func genOps(t *rapid.T) []*core.Operation {
	var ops []*core.Operation
	events := rapid.IntRange(1, 80).Draw(t, "events")
	for e := range events {
		msg := fmt.Sprintf("m%d", e)
		org := rapid.SampledFrom([]string{"acme", "globex"}).Draw(t, "org")
		n := rapid.IntRange(1, 4).Draw(t, "ops")
		var ev []*core.Operation
		for i := range n {
			op := &core.Operation{ID: fmt.Sprintf("op%d", i), Org: org,
				Module:  rapid.SampledFrom(modules).Draw(t, "module"),
				Action:  rapid.SampledFrom([]core.Action{core.Insert, core.Update, core.Upsert, core.Upsert}).Draw(t, "action"),
				Fields:  map[string]any{},
				Sources: []core.Source{{MessageID: msg, EventID: "e" + msg, Source: "s"}}}
			switch op.Action {
			case core.Upsert:
				op.Match = []string{"Email"}
				op.Fields["Email"] = rapid.SampledFrom([]string{"a@x.io", "A@X.io", "b@x.io", "c@x.io"}).Draw(t, "email")
			case core.Update:
				op.RecordID = rapid.SampledFrom([]string{"1", "2", "3"}).Draw(t, "id")
			}
			for _, f := range []string{"Phone", "City", "Stage"} {
				if rapid.Bool().Draw(t, "has "+f) {
					op.Fields[f] = rapid.IntRange(0, 3).Draw(t, f)
				}
			}
			switch rapid.IntRange(0, 2).Draw(t, "trigger") {
			case 1:
				op.Trigger = []string{}
			case 2:
				op.Trigger = []string{"workflow"}
			}
			if i > 0 && rapid.IntRange(0, 2).Draw(t, "refs") > 0 {
				target := rapid.IntRange(0, i-1).Draw(t, "target")
				field := rapid.SampledFrom([]string{"Contact_Name", "Account_Name", "City"}).Draw(t, "ref field")
				op.Refs = []core.Ref{{Field: field, Op: ev[target].ID}}
			}
			ev = append(ev, op)
		}
		ops = append(ops, ev...)
	}
	return ops
}

type opRef struct{ msg, op string }

// place is where a planned operation sits.
type place struct {
	stage int
	call  *core.Call
	sub   int // index in a composite, -1 in a batch
}

var subIDPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_]*$`)

func TestPlanProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ops := genOps(t)
		lim := Limits{Bind: rapid.SampledFrom([]Binding{None, Credits, Concurrency, SubConcurrency, Auto}).Draw(t, "bind"),
			Units: rapid.IntRange(-1, 30).Draw(t, "units"), Sub: rapid.IntRange(-1, 10).Draw(t, "sub"),
			Credits: rapid.IntRange(-1, 50).Draw(t, "credits")}
		p, err := Make(ops, lim)
		if err != nil {
			t.Fatalf("Make: %v", err)
		}
		if len(p.Rejected) != 0 {
			t.Fatalf("rejected %v", p.Rejected[0].Err)
		}
		where := checkCalls(t, p)
		checkEveryOpOnce(t, ops, p, where)
		checkRefsEarlier(t, where)
		checkLastValueWins(t, ops, where)
		checkSameRecordOrdered(t, ops, where)
	})
}

// checkCalls checks call sizes and homogeneity and returns every planned
// operation's place.
func checkCalls(t *rapid.T, p *Plan) map[*core.Operation]place {
	where := map[*core.Operation]place{}
	var total Cost
	maxRecs := MaxRecords
	if p.Bind == SubConcurrency {
		maxRecs = SmallBatch
	}
	for s, st := range p.Stages {
		if len(st) == 0 {
			t.Fatalf("stage %d is empty", s)
		}
		for _, c := range st {
			total = total.Add(CostOf(c))
			ops := c.Operations()
			switch {
			case c.Kind == core.Batch && (len(ops) == 0 || len(ops) > maxRecs):
				t.Fatalf("batch of %d records (max %d)", len(ops), maxRecs)
			case c.Kind == core.Composite && (len(ops) == 0 || len(ops) > MaxSubs):
				t.Fatalf("composite of %d subs", len(ops))
			}
			ids := map[string]bool{}
			for i, op := range ops {
				if _, dup := where[op]; dup {
					t.Fatalf("operation placed twice")
				}
				if op.Org != c.Org {
					t.Fatalf("op of org %s in a call of %s", op.Org, c.Org)
				}
				pl := place{stage: s, call: c, sub: -1}
				if c.Kind == core.Composite {
					pl.sub = i
					id := c.Subs[i].ID
					if !subIDPattern.MatchString(id) || ids[id] {
						t.Fatalf("bad or duplicate sub id %q", id)
					}
					ids[id] = true
				} else if op.Module != c.Module || op.Action != c.Action ||
					!reflect.DeepEqual(op.Trigger, c.Trigger) || (op.Action == core.Upsert && !reflect.DeepEqual(op.Match, c.Match)) {
					t.Fatalf("record %+v does not fit its batch", op)
				}
				where[op] = pl
			}
		}
	}
	if total != p.Cost {
		t.Fatalf("cost %+v, sum of calls %+v", p.Cost, total)
	}
	if len(where) != p.Ops {
		t.Fatalf("%d operations placed, plan says %d", len(where), p.Ops)
	}
	return where
}

// checkEveryOpOnce: every input operation is represented by exactly one
// source of exactly one planned operation.
func checkEveryOpOnce(t *rapid.T, ops []*core.Operation, p *Plan, where map[*core.Operation]place) {
	seen := map[opRef]int{}
	for op := range where {
		for _, s := range op.Sources {
			seen[opRef{s.MessageID, s.Op}]++
		}
	}
	for _, op := range ops {
		if n := seen[opRef{op.Sources[0].MessageID, op.ID}]; n != 1 {
			t.Fatalf("input %s/%s appears %d times", op.Sources[0].MessageID, op.ID, n)
		}
	}
	if len(seen) != len(ops) {
		t.Fatalf("%d sources for %d inputs", len(seen), len(ops))
	}
}

// checkRefsEarlier: a reference points at an earlier stage, or at an
// earlier sub of the same composite named in Sub.Refs.
func checkRefsEarlier(t *rapid.T, where map[*core.Operation]place) {
	for op, pl := range where {
		if len(op.RefTargets) != len(op.Refs) {
			t.Fatalf("%d refs, %d targets", len(op.Refs), len(op.RefTargets))
		}
		for f, target := range op.RefTargets {
			tp, ok := where[target]
			switch {
			case !ok:
				t.Fatalf("ref target not planned")
			case tp.call == pl.call && pl.sub >= 0:
				if tp.sub >= pl.sub || pl.call.Subs[pl.sub].Refs[f] != pl.call.Subs[tp.sub].ID {
					t.Fatalf("composite ref %s to sub %d from sub %d not wired", f, tp.sub, pl.sub)
				}
			case tp.stage >= pl.stage:
				t.Fatalf("ref %s to stage %d from stage %d", f, tp.stage, pl.stage)
			}
		}
	}
}

// checkLastValueWins replays the inputs each planned operation came from,
// in order, and compares fields and references.
func checkLastValueWins(t *rapid.T, ops []*core.Operation, where map[*core.Operation]place) {
	byRef := map[opRef]*core.Operation{}
	for _, op := range ops {
		byRef[opRef{op.Sources[0].MessageID, op.ID}] = op
	}
	planned := map[opRef]*core.Operation{}
	for op := range where {
		for _, s := range op.Sources {
			planned[opRef{s.MessageID, s.Op}] = op
		}
	}
	for op := range where {
		fields, refs := map[string]any{}, map[string]*core.Operation{}
		for _, s := range op.Sources {
			in := byRef[opRef{s.MessageID, s.Op}]
			for f, v := range in.Fields {
				fields[f] = v
				delete(refs, f)
			}
			for _, r := range in.Refs {
				refs[r.Field] = planned[opRef{s.MessageID, r.Op}]
				delete(fields, r.Field)
			}
		}
		if !reflect.DeepEqual(fields, op.Fields) {
			t.Fatalf("fields %v, want %v", op.Fields, fields)
		}
		if !reflect.DeepEqual(refs, op.RefTargets) && (len(refs) != 0 || len(op.RefTargets) != 0) {
			t.Fatalf("ref targets differ: %d vs %d", len(op.RefTargets), len(refs))
		}
	}
}

// checkSameRecordOrdered: two planned writes of one record never run at
// once, and the one from later input runs later (later stage, or later sub
// of the same composite).
func checkSameRecordOrdered(t *rapid.T, ops []*core.Operation, where map[*core.Operation]place) {
	pos := map[opRef]int{}
	for i, op := range ops {
		pos[opRef{op.Sources[0].MessageID, op.ID}] = i
	}
	byKey := map[string][]*core.Operation{}
	for op := range where {
		if k := recordKey(op); k != "" {
			byKey[k] = append(byKey[k], op)
		}
	}
	for _, list := range byKey {
		for _, x := range list {
			for _, y := range list {
				px, py := pos[opRef{x.Sources[0].MessageID, x.Sources[0].Op}], pos[opRef{y.Sources[0].MessageID, y.Sources[0].Op}]
				if px >= py {
					continue
				}
				a, b := where[x], where[y]
				sameCall := a.call == b.call && a.sub >= 0 && a.sub < b.sub
				if !sameCall && a.stage >= b.stage {
					t.Fatalf("earlier write of a record in stage %d, later in stage %d", a.stage, b.stage)
				}
			}
		}
	}
}

func TestPackCountAgrees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var comps []*comp
		var hist [MaxSubs + 1]int
		for i, s := range rapid.SliceOf(rapid.IntRange(1, MaxSubs)).Draw(t, "sizes") {
			c := &comp{}
			for range s {
				c.nodes = append(c.nodes, &node{seq: i})
			}
			comps = append(comps, c)
			hist[s]++
		}
		bins := pack(comps)
		if got, want := packCount(hist), len(bins); got != want {
			t.Fatalf("packCount = %d, pack made %d calls", got, want)
		}
		for _, b := range bins {
			n := 0
			for _, c := range b {
				n += c.size()
			}
			if n > MaxSubs {
				t.Fatalf("bin of %d subs", n)
			}
		}
	})
}
