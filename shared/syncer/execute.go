package syncer

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
)

// outcome is a settled result plus whether it counts as a failed attempt
// (Zoho-side failures do; waiting for credits, slots or a reconnect does not).
type outcome struct {
	core.Result
	attempt bool
}

// opKey finds an operation by the message it came from and its ID there.
type opKey struct{ msg, op string }

// orgRun executes one org's operations of the batch.
type orgRun struct {
	b     *batch
	org   string
	calls map[*core.Operation]*core.Call // op -> its call
	index map[opKey]*core.Operation      // original op -> planned op
	mu    sync.Mutex
	res   map[*core.Operation]*outcome // planned op -> outcome
	spent int
	left  int // X-API-CREDITS-REMAINING last seen, -1 when none
}

// run groups the batch's operations by org and executes each org's share.
func (b *batch) run(ctx context.Context) {
	byOrg := map[string][]*core.Operation{}
	var orgs []string
	for _, m := range b.msgs {
		if m.failed || m.settled {
			continue
		}
		for _, op := range m.ops {
			if op.Org == "" {
				op.Org = m.env.Org
			}
			if _, ok := byOrg[op.Org]; !ok {
				orgs = append(orgs, op.Org)
			}
			byOrg[op.Org] = append(byOrg[op.Org], op)
		}
	}
	runs := make([]*orgRun, len(orgs))
	work, cancel := b.h.workContext(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for i, org := range orgs {
		r := &orgRun{b: b, org: org, calls: map[*core.Operation]*core.Call{},
			index: map[opKey]*core.Operation{}, res: map[*core.Operation]*outcome{}, left: -1}
		runs[i] = r
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.execute(obs.With(work, "org", org), byOrg[org])
		}()
	}
	wg.Wait()
	b.settle(ctx, runs)
}

// workContext is ctx ending Reserve before the invocation does: Zoho calls,
// token waits and slot waits stop there, however late they started, so the
// reserve is always left for settling (requeues and dead letters).
func (h *Handler) workContext(ctx context.Context) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, dl.Add(-h.opt.Reserve))
}

// execute plans, reserves credits, runs the stages and settles the credits.
func (r *orgRun) execute(ctx context.Context, ops []*core.Operation) {
	d := r.b.h.d
	stages, rejected, err := d.Planner.Plan(r.org, ops)
	for _, rj := range rejected {
		r.set(rj.Op, &outcome{Result: core.Result{Outcome: core.Dead,
			Problem: &core.Problem{Code: "INVALID_OPERATION", Message: rj.Err.Error()}}})
	}
	if err != nil {
		d.Log.ErrorContext(ctx, "planning failed", "err", err)
		r.failAll(ops, &outcome{Result: core.Result{Outcome: core.Retry,
			Problem: &core.Problem{Code: "PLAN_ERROR", Message: err.Error()}}, attempt: true})
		return
	}
	credits := 0
	for _, st := range stages {
		for _, c := range st {
			cr, _, _ := d.Planner.Cost(c)
			credits += cr
			for _, op := range c.Operations() {
				r.calls[op] = c
				for _, s := range op.Sources {
					r.index[opKey{s.MessageID, s.Op}] = op
				}
			}
		}
	}
	res, err := d.Ledger.Reserve(ctx, r.org, credits)
	if err != nil {
		r.failAll(ops, r.waitOutcome(err, "CREDITS_UNAVAILABLE"))
		return
	}
	for i, st := range stages {
		if r.outOfTime(ctx) {
			for _, later := range stages[i:] {
				r.failCalls(later, &outcome{Result: core.Result{Outcome: core.Retry,
					Problem: &core.Problem{Code: "DEADLINE", Message: "invocation time ran out before this call"}}})
			}
			break
		}
		r.runStage(ctx, st)
	}
	if err := res.Settle(context.WithoutCancel(ctx), r.spent, r.left); err != nil {
		d.Log.WarnContext(ctx, "credit settle failed", "err", err)
	}
	obs.Add(ctx, "CreditsSpent", obs.Count, float64(r.spent), obs.Org(r.org))
	if r.left >= 0 {
		obs.Add(ctx, "CreditsRemaining", obs.None, float64(r.left), obs.Org(r.org))
	}
}

// runStage sends a stage's calls concurrently, bounded by Options.Parallel.
func (r *orgRun) runStage(ctx context.Context, calls []*core.Call) {
	sem := make(chan struct{}, r.b.h.opt.Parallel)
	var wg sync.WaitGroup
	for _, c := range calls {
		c = r.resolve(c)
		if c == nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r.send(ctx, c, true)
		}()
	}
	wg.Wait()
}

// outOfTime reports whether too little invocation time is left to send more
// (ctx is the work context, which already ends Reserve early).
func (r *orgRun) outOfTime(ctx context.Context) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < r.b.h.opt.CallTimeout/2
}

// waitOutcome turns a ledger refusal into a retry that does not count as an
// attempt. A refusal because of a cool-down after a 429 says so.
func (r *orgRun) waitOutcome(err error, code string) *outcome {
	o := &outcome{Result: core.Result{Outcome: core.Retry, Problem: &core.Problem{Code: code, Message: err.Error()}}}
	var denied *core.Denied
	if errors.As(err, &denied) {
		o.RetryAt = denied.RetryAt
		if denied.Reason == "cool-down" {
			o.Problem.Code = "COOL_DOWN"
		}
	}
	return o
}

func (r *orgRun) set(op *core.Operation, o *outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, done := r.res[op]; done {
		return
	}
	cp := *o
	cp.Op = op
	r.res[op] = &cp
}

func (r *orgRun) get(op *core.Operation) *outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.res[op]
}

func (r *orgRun) failAll(ops []*core.Operation, o *outcome) {
	for _, op := range ops {
		r.set(op, o)
	}
}

func (r *orgRun) failCalls(calls []*core.Call, o *outcome) {
	for _, c := range calls {
		r.failAll(c.Operations(), o)
	}
}
