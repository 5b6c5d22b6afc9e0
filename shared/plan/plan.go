package plan

import (
	"fmt"

	"github.com/zohosync/zohosync/shared/core"
)

// Plan is the calls to make for a batch of operations.
type Plan struct {
	// Stages are run in order. Calls of one stage are independent and may
	// run concurrently; an operation's references point at operations of
	// earlier stages or at earlier sub-requests of its own composite call.
	Stages [][]*core.Call
	// Cost is the sum of CostOf over all calls; Peak is the largest
	// per-stage sum (what a stage needs when all its calls run at once).
	Cost, Peak Cost
	// Bind is the binding the plan was made for (Auto resolved).
	Bind Binding
	// Ops is the number of planned operations, after coalescing.
	Ops int
	// Rejected are input operations that could not be planned.
	Rejected []Rejected
}

// Calls returns every call of the plan, stage by stage.
func (p *Plan) Calls() []*core.Call {
	var out []*core.Call
	for _, s := range p.Stages {
		out = append(out, s...)
	}
	return out
}

// Make plans ops (the operations of many events, in queue order) under lim.
// The planned operations are copies: inputs are never modified, and the
// Fields maps of planned operations are their own (a caller may fill lookup
// fields in them). Limits apply to each org alike; call Make once per org
// when orgs' limits differ. Make fails only for an invalid Limits.
func Make(ops []*core.Operation, lim Limits) (*Plan, error) {
	if lim.Bind < None || lim.Bind > Auto {
		return nil, fmt.Errorf("plan: unknown binding %d", lim.Bind)
	}
	p := &Plan{}
	g := &graph{current: map[string]*node{}}
	reject := func(op *core.Operation, err error) {
		p.Rejected = append(p.Rejected, Rejected{Op: op, Err: err})
	}
	for _, ev := range splitEvents(ops, reject) {
		ok, targets := checkEvent(ev, reject)
		if len(ok) > 0 && !g.addEvent(ok, targets) {
			for _, op := range ok {
				reject(op, opErr(op, ErrRefCycle, "the event writes one record twice, one write referring to the other"))
			}
		}
	}
	g.finish()
	orgs := g.layout()
	p.Ops = len(g.nodes)
	bind := lim.Bind
	if bind == Auto {
		var total, peak Cost
		for _, o := range orgs {
			o.decide(None)
		}
		total, peak = costs(merge(orgs, None))
		bind = lim.resolve(total, peak)
	}
	for _, o := range orgs {
		o.decide(bind)
	}
	p.Bind = bind
	p.Stages = merge(orgs, bind)
	p.Cost, p.Peak = costs(p.Stages)
	return p, nil
}

// merge lays the orgs' stages side by side: stage i holds every org's
// stage i.
func merge(orgs []*orgPlan, b Binding) [][]*core.Call {
	var stages [][]*core.Call
	for _, o := range orgs {
		for i, s := range o.calls(b) {
			for len(stages) <= i {
				stages = append(stages, nil)
			}
			stages[i] = append(stages[i], s...)
		}
	}
	return stages
}

// costs returns the total and the per-stage peak cost of stages.
func costs(stages [][]*core.Call) (total, peak Cost) {
	for _, s := range stages {
		var st Cost
		for _, c := range s {
			st = st.Add(CostOf(c))
		}
		total = total.Add(st)
		peak = Cost{max(peak.Credits, st.Credits), max(peak.Units, st.Units),
			max(peak.Sub, st.Sub), max(peak.Calls, st.Calls)}
	}
	return total, peak
}
