package syncer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
)

// resolve fills lookups that refer to operations of earlier stages with the
// record ids those wrote. Operations whose target did not succeed share its
// fate and leave the call; it returns nil when nothing is left to send.
func (r *orgRun) resolve(c *core.Call) *core.Call {
	drop := map[*core.Operation]bool{}
	inCall := map[*core.Operation]bool{}
	for _, op := range c.Operations() {
		inCall[op] = true
	}
	for _, op := range c.Operations() {
		for _, ref := range op.Refs {
			target := r.refTarget(op, ref)
			if target == nil || inCall[target] {
				continue
			}
			t := r.get(target)
			switch {
			case t != nil && t.Outcome == core.Done:
				op.Fields[ref.Field] = map[string]any{"id": t.RecordID}
			case t != nil && t.Outcome == core.Dead:
				r.set(op, &outcome{Result: core.Result{Outcome: core.Dead, Problem: &core.Problem{
					Code:    "DEPENDENCY_FAILED",
					Message: fmt.Sprintf("%s: operation %q it refers to was rejected (%s)", ref.Field, ref.Op, t.Problem.Code)}}})
				drop[op] = true
			default:
				r.set(op, &outcome{Result: core.Result{Outcome: core.Retry, Problem: &core.Problem{
					Code: "DEPENDENCY_PENDING", Message: fmt.Sprintf("%s: operation %q it refers to is being retried", ref.Field, ref.Op)}}})
				drop[op] = true
			}
		}
	}
	if len(drop) == 0 {
		return c
	}
	return without(c, drop, r.set)
}

// refTarget finds the planned operation a reference points at: the one the
// planner resolved it to, else the operation with that ID from the same event
// (the latest source wins after coalescing).
func (r *orgRun) refTarget(op *core.Operation, ref core.Ref) *core.Operation {
	if t := op.RefTargets[ref.Field]; t != nil {
		return t
	}
	for i := len(op.Sources) - 1; i >= 0; i-- {
		if t := r.index[opKey{op.Sources[i].MessageID, ref.Op}]; t != nil {
			return t
		}
	}
	return nil
}

// without returns c minus the dropped operations (and, in a composite, the
// subs that refer to a dropped sub, which fail with it).
func without(c *core.Call, drop map[*core.Operation]bool, set func(*core.Operation, *outcome)) *core.Call {
	out := *c
	if c.Kind == core.Batch {
		out.Records = nil
		for _, op := range c.Records {
			if !drop[op] {
				out.Records = append(out.Records, op)
			}
		}
		if len(out.Records) == 0 {
			return nil
		}
		return &out
	}
	dropped := map[string]bool{}
	out.Subs = nil
	for _, s := range c.Subs {
		gone := drop[s.Op]
		for _, dep := range s.Refs {
			if dropped[dep] {
				gone = true
				set(s.Op, &outcome{Result: core.Result{Outcome: core.Retry, Problem: &core.Problem{
					Code: "DEPENDENCY_PENDING", Message: "an operation it refers to could not be sent"}}})
			}
		}
		if gone {
			dropped[s.ID] = true
			continue
		}
		out.Subs = append(out.Subs, s)
	}
	if len(out.Subs) == 0 {
		return nil
	}
	return &out
}

// send runs one call: slots, token, the Zoho request, and the handling of
// request-level failures. mayRepeat allows the one refresh-and-retry after a
// 401 and the one split after a too-large batch.
func (r *orgRun) send(ctx context.Context, c *core.Call, mayRepeat bool) {
	d := r.b.h.d
	credits, units, sub := d.Planner.Cost(c)
	slots, err := r.acquire(ctx, units, sub)
	if err != nil {
		r.failAll(c.Operations(), r.waitOutcome(err, "CONCURRENCY_UNAVAILABLE"))
		return
	}
	release := sync.OnceFunc(func() {
		if err := slots.Release(context.WithoutCancel(ctx)); err != nil {
			d.Log.WarnContext(ctx, "slot release failed", "err", err)
		}
	})
	defer release()
	tok, err := d.Tokens.Token(ctx, r.org)
	if err != nil {
		r.failAll(c.Operations(), r.tokenOutcome(ctx, err))
		return
	}
	rep, err := r.do(ctx, tok, c)
	if err == nil {
		r.record(ctx, c, credits, rep)
		return
	}
	kind, p := d.Classify(err)
	switch {
	case kind == Unauthorized && mayRepeat:
		if ierr := d.Tokens.Invalidate(ctx, r.org, tok.Access); ierr != nil {
			d.Log.WarnContext(ctx, "token invalidation failed", "err", ierr)
		}
		if tok, err = d.Tokens.Token(ctx, r.org); err != nil {
			r.failAll(c.Operations(), r.tokenOutcome(ctx, err))
			return
		}
		if rep, err = r.do(ctx, tok, c); err == nil {
			r.record(ctx, c, credits, rep)
			return
		}
		kind, p = d.Classify(err)
	case kind == TooLarge && mayRepeat && c.Kind == core.Batch && len(c.Records) > 1:
		d.Log.ErrorContext(ctx, "Zoho refused the batch size; splitting once", "records", len(c.Records))
		half := len(c.Records) / 2
		a, b := *c, *c
		a.Records, b.Records = c.Records[:half], c.Records[half:]
		release()
		r.send(ctx, &a, false)
		r.send(ctx, &b, false)
		return
	}
	r.failed(ctx, c, kind, p)
}

// do sends the request under the per-call timeout and counts it.
func (r *orgRun) do(ctx context.Context, tok core.Token, c *core.Call) (*core.CallReport, error) {
	cctx, cancel := context.WithTimeout(ctx, r.b.h.opt.CallTimeout)
	defer cancel()
	obs.Add(ctx, "ZohoCalls", obs.Count, 1, obs.Org(r.org))
	return r.b.h.d.CRM.Do(cctx, tok, c)
}

// record stores the per-operation results of an answered call.
func (r *orgRun) record(ctx context.Context, c *core.Call, credits int, rep *core.CallReport) {
	r.mu.Lock()
	r.spent += credits
	if rep.CreditsRemaining >= 0 {
		r.left = rep.CreditsRemaining
	}
	r.mu.Unlock()
	ops := c.Operations()
	if len(rep.Results) != len(ops) {
		r.failAll(ops, &outcome{Result: core.Result{Outcome: core.Retry, Problem: &core.Problem{
			Code: "RESPONSE_MISMATCH", Status: rep.Status,
			Message: fmt.Sprintf("Zoho answered %d results for %d records", len(rep.Results), len(ops))}}, attempt: true})
		return
	}
	for i, res := range rep.Results {
		res.Op = ops[i]
		r.set(ops[i], &outcome{Result: res, attempt: res.Outcome == core.Retry})
	}
}

// failed settles the operations of a call that failed as a whole.
func (r *orgRun) failed(ctx context.Context, c *core.Call, kind Kind, p *core.Problem) {
	d := r.b.h.d
	o := &outcome{Result: core.Result{Outcome: core.Retry, Problem: p}, attempt: true}
	switch kind {
	case Throttled:
		until := d.Now().Add(r.b.h.opt.ThrottleCoolDown)
		obs.Add(ctx, "TooManyRequests", obs.Count, 1, obs.Org(r.org))
		if err := d.Ledger.CoolDown(context.WithoutCancel(ctx), r.org, until); err != nil {
			d.Log.WarnContext(ctx, "cool-down not recorded", "err", err)
		}
		o.RetryAt, o.attempt = until, false
	case Permanent:
		o.Outcome = core.Dead
	}
	d.Log.WarnContext(ctx, "Zoho call failed", "code", p.Code, "status", p.Status, "outcome", o.Outcome.String())
	r.failAll(c.Operations(), o)
}

// acquire waits for concurrency slots until the refusal says to wait longer
// than the invocation can.
func (r *orgRun) acquire(ctx context.Context, units, sub int) (core.Slots, error) {
	d := r.b.h.d
	for {
		slots, err := d.Ledger.Acquire(ctx, r.org, units, sub)
		var denied *core.Denied
		if err == nil || !errors.As(err, &denied) {
			return slots, err
		}
		wait := denied.RetryAt.Sub(d.Now())
		if wait < 20*time.Millisecond {
			wait = 20 * time.Millisecond
		}
		if wait > 500*time.Millisecond {
			wait = time.Duration(float64(500*time.Millisecond) * (0.5 + d.Rand()))
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl)-wait < r.b.h.opt.CallTimeout {
			return nil, err
		}
		if denied.RetryAt.Sub(d.Now()) > time.Minute {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
	}
}

// tokenOutcome turns a token failure into a retry that waits for the cause.
func (r *orgRun) tokenOutcome(ctx context.Context, err error) *outcome {
	d := r.b.h.d
	until, reauth := d.TokenWait(err)
	o := &outcome{Result: core.Result{Outcome: core.Retry, Problem: &core.Problem{Code: "TOKEN_UNAVAILABLE", Message: err.Error()}}}
	switch {
	case reauth:
		o.Problem.Code = "REAUTHORIZATION_NEEDED"
		o.RetryAt = d.Now().Add(r.b.h.opt.ReauthWait)
		d.Log.ErrorContext(ctx, "Zoho needs a new connect; events wait in the queue")
	case !until.IsZero():
		o.RetryAt = until
	}
	return o
}
