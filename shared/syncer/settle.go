package syncer

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/retry"
)

// settleParallel bounds the messages settled at once: each settle is one or
// two writes (a requeue, dead letters), and a batch of a thousand settled one
// after another would not fit the invocation's reserve.
const settleParallel = 16

// settle gives every operation of every message its final place: done,
// requeued or dead-lettered. Messages settle concurrently; each message's own
// writes stay in order.
func (b *batch) settle(ctx context.Context, runs []*orgRun) {
	byOrg := map[string]*orgRun{}
	for _, r := range runs {
		byOrg[r.org] = r
	}
	sem := make(chan struct{}, settleParallel)
	var wg sync.WaitGroup
	for _, m := range b.msgs {
		if m.failed || m.settled {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b.settleMessage(ctx, m, byOrg)
		}()
	}
	wg.Wait()
}

// settleMessage settles one message's operations.
func (b *batch) settleMessage(ctx context.Context, m *message, byOrg map[string]*orgRun) {
	mctx := msgCtx(ctx, m)
	var retries []*core.Operation
	var retryOuts []*outcome
	for _, op := range m.ops {
		o := byOrg[op.Org].outcomeOf(m.id, op)
		res := o.Result
		res.Op = op
		m.results[op.ID] = &res
		switch o.Outcome {
		case core.Done:
			b.done(mctx, m, &res)
		case core.Dead:
			b.deadLetter(mctx, m, op, o.Problem)
		default:
			retries = append(retries, op)
			retryOuts = append(retryOuts, o)
		}
	}
	// A message whose dead letter could not be stored is redelivered
	// whole; a requeue would put a second copy of its retries in flight.
	if len(retries) > 0 && !m.failed {
		b.requeue(mctx, m, retries, retryOuts)
	}
}

// outcomeOf finds the outcome of one of a message's own operations, through
// the planned (possibly coalesced) operation that carried it.
func (r *orgRun) outcomeOf(msg string, op *core.Operation) *outcome {
	if r != nil {
		if p := r.index[opKey{msg, op.ID}]; p != nil {
			if o := r.get(p); o != nil {
				return o
			}
		}
		if o := r.get(op); o != nil {
			return o
		}
	}
	return &outcome{Result: core.Result{Outcome: core.Retry, Problem: &core.Problem{
		Code: "NOT_RUN", Message: "the operation was not sent in this invocation"}}}
}

func (b *batch) done(ctx context.Context, m *message, r *core.Result) {
	d := b.h.d
	dims := []obs.Dim{obs.Org(r.Op.Org), obs.Source(m.env.Source)}
	obs.Add(ctx, "RecordsSynced", obs.Count, 1, dims...)
	if !m.env.ReceivedAt.IsZero() {
		obs.Add(ctx, "SyncLatency", obs.Milliseconds, float64(d.Now().Sub(m.env.ReceivedAt).Milliseconds()), dims...)
	}
	d.Log.DebugContext(ctx, "record synced", "op", r.Op.ID, "module", r.Op.Module,
		"record_id", r.RecordID, "action", r.ZohoAction)
	if d.OnResult != nil {
		d.OnResult(ctx, *r)
	}
}

// deadLetter stores one operation as a dead letter.
func (b *batch) deadLetter(ctx context.Context, m *message, op *core.Operation, p *core.Problem) {
	d := b.h.d
	if p == nil {
		p = &core.Problem{Code: "UNKNOWN"}
	}
	env := *m.env
	env.Ops = nil
	dl := &core.DeadLetter{
		Org: m.env.Org, Source: m.env.Source, EventID: m.env.EventID,
		Envelope: env, Code: p.Code, Message: p.Message, Details: p.Details,
		Attempts: m.env.Attempt + 1, At: d.Now(),
	}
	if op != nil {
		dl.Op, dl.Route, dl.Org = cleanOp(op), op.Route, op.Org
	}
	if m.env.FirstAttemptAt != nil {
		dl.FirstAt = *m.env.FirstAttemptAt
	}
	if err := d.DeadLetters.Put(ctx, dl); err != nil {
		d.Log.ErrorContext(ctx, "dead letter not stored; the message will be redelivered", "err", err)
		m.failed = true
		return
	}
	obs.Add(ctx, "DeadLetters", obs.Count, 1, obs.Org(dl.Org), obs.Source(dl.Source), obs.Dim{Name: "code", Value: dl.Code})
	d.Log.WarnContext(ctx, "dead-lettered", "code", p.Code, "reason", p.Message, "details", string(p.Details), "op", opID(op))
	if d.OnResult != nil {
		if op == nil {
			// A whole-event dead letter: a bare operation names the event.
			op = &core.Operation{Org: m.env.Org, Sources: []core.Source{{MessageID: m.id,
				EventID: m.env.EventID, Source: m.env.Source, ReceivedAt: m.env.ReceivedAt}}}
		}
		d.OnResult(ctx, core.Result{Op: op, Outcome: core.Dead, Problem: p})
	}
}

// deadLetterEvent stores a whole event (a mapping error) as a dead letter.
func (b *batch) deadLetterEvent(ctx context.Context, m *message, p *core.Problem) {
	b.deadLetter(ctx, m, nil, p)
}

// requeue sends a message's retryable operations back to the events queue,
// or dead-letters them when the retry policy gives up.
func (b *batch) requeue(ctx context.Context, m *message, ops []*core.Operation, outs []*outcome) {
	d := b.h.d
	now := d.Now()
	env := *m.env
	var last *core.Problem
	var retryAt time.Time
	counts := false
	for _, o := range outs {
		if o.attempt {
			counts = true
		}
		if o.Problem != nil && (last == nil || o.attempt) {
			last = o.Problem
		}
		if o.RetryAt.After(retryAt) {
			retryAt = o.RetryAt
		}
	}
	if counts {
		env.Attempt++
	}
	first := now
	if env.FirstAttemptAt != nil {
		first = *env.FirstAttemptAt
	}
	if d.Policy.Exhausted(env.Attempt, first, now) {
		p := *last
		p.Message = fmt.Sprintf("gave up after %d attempts over %s: %s", env.Attempt,
			now.Sub(first).Round(time.Second), last.Message)
		for _, op := range ops {
			b.deadLetter(ctx, m, op, &p)
		}
		return
	}
	wait := retry.Until(now, retryAt)
	if wait == 0 {
		wait = d.Policy.Backoff(env.Attempt, d.Rand)
	}
	delay, notBefore := retry.Schedule(now, wait)
	env.NotBefore, env.LastProblem = notBefore, last
	env.Ops = make([]core.Operation, 0, len(ops))
	for _, op := range ops {
		env.Ops = append(env.Ops, *b.carry(m, op))
	}
	if err := d.Queue.Send(ctx, &env, delay); err != nil {
		d.Log.ErrorContext(ctx, "requeue failed; the message will be redelivered", "err", err)
		m.failed = true
		return
	}
	obs.Add(ctx, "Retries", obs.Count, float64(len(ops)), obs.Org(env.Org), obs.Source(env.Source))
	d.Log.InfoContext(ctx, "requeued", "ops", len(ops), "attempt", env.Attempt, "delay", delay.String(),
		"code", last.Code)
	if d.OnResult != nil {
		for i, op := range ops {
			d.OnResult(ctx, core.Result{Op: op, Outcome: core.Retry, Problem: outs[i].Problem, RetryAt: now.Add(wait)})
		}
	}
}

// carry copies an operation for the requeued envelope, filling lookups whose
// target of the same message is done with the written record id.
func (b *batch) carry(m *message, op *core.Operation) *core.Operation {
	c := cleanOp(op)
	c.Fields = make(map[string]any, len(op.Fields))
	for k, v := range op.Fields {
		c.Fields[k] = v
	}
	c.Refs = nil
	for _, ref := range op.Refs {
		if t := m.results[ref.Op]; t != nil && t.Outcome == core.Done {
			c.Fields[ref.Field] = map[string]any{"id": t.RecordID}
			continue
		}
		c.Refs = append(c.Refs, ref)
	}
	return c
}

// cleanOp copies an operation without its per-invocation sources.
func cleanOp(op *core.Operation) *core.Operation {
	c := *op
	c.Sources = nil
	return &c
}

func opID(op *core.Operation) string {
	if op == nil {
		return ""
	}
	return op.ID
}
