package plantest

import (
	"time"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/plan"
)

// Batches cuts a stream the way an SQS event source mapping does: a batch
// closes when window has passed since its first event or when it holds
// maxEvents events. It returns each batch's operations in arrival order.
func Batches(events []Event, window time.Duration, maxEvents int) [][]*core.Operation {
	var out [][]*core.Operation
	var cur []*core.Operation
	var first time.Time
	n := 0
	for _, e := range events {
		if n > 0 && (n >= maxEvents || e.At.Sub(first) >= window) {
			out = append(out, cur)
			cur, n = nil, 0
		}
		if n == 0 {
			first = e.At
		}
		cur = append(cur, e.Ops...)
		n++
	}
	if n > 0 {
		out = append(out, cur)
	}
	return out
}

// Tally sums what a way of sending a stream costs.
type Tally struct {
	// Events and Records (operations before coalescing) sent; Written is
	// records actually written (after coalescing).
	Events, Records, Written int
	plan.Cost
}

// CreditsPerRecord is credits per record the events asked for.
func (t Tally) CreditsPerRecord() float64 { return float64(t.Credits) / float64(t.Records) }

// CallsPerRecord is calls per record the events asked for.
func (t Tally) CallsPerRecord() float64 { return float64(t.Calls) / float64(t.Records) }

// Planned plans every batch under lim and sums the plans' costs.
func Planned(events []Event, batches [][]*core.Operation, lim plan.Limits) (Tally, error) {
	t := Tally{Events: len(events)}
	for _, b := range batches {
		p, err := plan.Make(b, lim)
		if err != nil {
			return Tally{}, err
		}
		t.Records += len(b)
		t.Written += p.Ops
		t.Cost = t.Cost.Add(p.Cost)
	}
	return t, nil
}

// Naive is one call per event as it arrives: a batch of one for a single
// operation, a composite for a chain.
func Naive(events []Event) Tally {
	t := Tally{Events: len(events)}
	for _, e := range events {
		t.Records += len(e.Ops)
		t.Written += len(e.Ops)
		if len(e.Ops) == 1 {
			t.Cost = t.Cost.Add(plan.CostOf(&core.Call{Kind: core.Batch, Records: e.Ops}))
			continue
		}
		subs := make([]core.Sub, len(e.Ops))
		for i, op := range e.Ops {
			subs[i] = core.Sub{ID: op.ID, Op: op}
		}
		t.Cost = t.Cost.Add(plan.CostOf(&core.Call{Kind: core.Composite, Subs: subs}))
	}
	return t
}

// NaivePerRecord is one call per operation: each record sent alone, a
// chain's second record after the first.
func NaivePerRecord(events []Event) Tally {
	t := Tally{Events: len(events)}
	for _, e := range events {
		for range e.Ops {
			t.Records++
			t.Written++
			t.Cost = t.Cost.Add(plan.Cost{Credits: 1, Units: 1, Calls: 1})
		}
	}
	return t
}
