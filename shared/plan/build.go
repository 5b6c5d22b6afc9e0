package plan

import (
	"cmp"
	"slices"
	"strings"

	"github.com/zohosync/zohosync/shared/core"
)

// calls turns the org's decided plan into calls by stage: batches at their
// group's depth, composites in stage 0.
func (o *orgPlan) calls(b Binding) [][]*core.Call {
	var stages [][]*core.Call
	add := func(stage int, c *core.Call) {
		for len(stages) <= stage {
			stages = append(stages, nil)
		}
		stages[stage] = append(stages[stage], c)
	}
	k := b.chunkSize()
	inComposite := map[*node]bool{}
	var composites []*comp
	for _, c := range o.comps {
		if c.composite {
			composites = append(composites, c)
			for _, n := range c.nodes {
				inComposite[n] = true
			}
		}
	}
	for _, g := range o.groups {
		var recs []*core.Operation
		for _, n := range g.nodes {
			if !inComposite[n] {
				recs = append(recs, n.op)
			}
		}
		for len(recs) > 0 {
			m := min(k, len(recs))
			add(g.depth, batchCall(o.org, recs[:m:m]))
			recs = recs[m:]
		}
	}
	for _, bin := range pack(composites) {
		add(0, compositeCall(o.org, bin))
	}
	return slices.DeleteFunc(stages, func(s []*core.Call) bool { return len(s) == 0 })
}

// batchCall builds one batch call of records sharing a group.
func batchCall(org string, recs []*core.Operation) *core.Call {
	first := recs[0]
	c := &core.Call{Kind: core.Batch, Org: org, Module: first.Module, Action: first.Action,
		Trigger: first.Trigger, Records: recs}
	if first.Action == core.Upsert {
		c.Match = first.Match
	}
	return c
}

// compositeCall builds one composite call from components: each
// component's operations in dependency order (depth, then seq), sub-request
// references for lookups whose target is in the same call.
func compositeCall(org string, bin []*comp) *core.Call {
	c := &core.Call{Kind: core.Composite, Org: org}
	ids := map[*node]string{}
	for _, comp := range bin {
		nodes := slices.Clone(comp.nodes)
		slices.SortStableFunc(nodes, func(a, b *node) int {
			if d := cmp.Compare(a.depth, b.depth); d != 0 {
				return d
			}
			return cmp.Compare(a.seq, b.seq)
		})
		for _, n := range nodes {
			id := subID(n.op.ID, len(c.Subs))
			ids[n] = id
			sub := core.Sub{ID: id, Op: n.op}
			for _, f := range sortedKeys(n.refs) {
				if sub.Refs == nil {
					sub.Refs = map[string]string{}
				}
				sub.Refs[f] = ids[n.refs[f]]
			}
			c.Subs = append(c.Subs, sub)
		}
	}
	return c
}

// subID makes a sub_request_id (pattern [a-zA-Z0-9][a-zA-Z0-9_]*) from an
// operation ID and the sub's index, unique within the call.
func subID(opID string, i int) string {
	var b strings.Builder
	for _, r := range opID {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 32 {
			break
		}
	}
	s := b.String()
	if s == "" || s[0] == '_' {
		s = "op" + s
	}
	return s + "_" + itoa(i)
}
