package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/mapping"
	"github.com/zohosync/zohosync/shared/obs"
)

// message is one queue message and what became of its operations.
type message struct {
	id  string
	env *core.Envelope
	// ops are the message's own operations (not coalesced), by position.
	ops []*core.Operation
	// results holds each op's settled result, by op ID.
	results map[string]*core.Result
	// failed marks a message whose outcome could not be written durably.
	failed bool
	// settled marks a message handled without running ops (early arrival,
	// ignored event, mapping error).
	settled bool
}

// read decodes one record and prepares its operations. Problems that stop
// the message here are settled at once.
func (b *batch) read(ctx context.Context, r events.SQSMessage) {
	m := &message{id: r.MessageId, results: map[string]*core.Result{}}
	b.msgs = append(b.msgs, m)
	b.byID[m.id] = m
	env, body, err := b.h.d.Decode(ctx, r.Body)
	if err != nil {
		// Unreadable now: let SQS redeliver; a poison message reaches the
		// SQS dead-letter queue after maxReceiveCount receives.
		b.h.d.Log.ErrorContext(ctx, "cannot read queue message", "message_id", r.MessageId, "err", err)
		m.failed = true
		return
	}
	// The raw body is only needed to map the event here; it is not kept,
	// so a batch of large out-of-band bodies is never all in memory.
	m.env = env
	ctx = msgCtx(ctx, m)
	now := b.h.d.Now()
	if env.NotBefore != nil && env.NotBefore.After(now) {
		m.settled = true
		b.hop(ctx, m)
		return
	}
	if env.FirstAttemptAt == nil {
		t := now
		env.FirstAttemptAt = &t
	}
	ops := env.Ops
	if len(ops) == 0 {
		ops, err = b.h.d.Mapper.Map(env, body)
		if err != nil {
			m.settled = true
			b.deadLetterEvent(ctx, m, mappingProblem(err))
			return
		}
		if len(ops) == 0 {
			m.settled = true
			b.h.d.Log.InfoContext(ctx, "event ignored: no route produced an operation")
			obs.Add(ctx, "EventsIgnored", obs.Count, 1, obs.Org(env.Org), obs.Source(env.Source))
			return
		}
	}
	for i := range ops {
		op := ops[i]
		op.Sources = []core.Source{{MessageID: m.id, Op: op.ID, EventID: env.EventID,
			Source: env.Source, ReceivedAt: env.ReceivedAt}}
		m.ops = append(m.ops, &op)
	}
}

// hop re-delays an envelope that arrived before its not_before time.
func (b *batch) hop(ctx context.Context, m *message) {
	wait := m.env.NotBefore.Sub(b.h.d.Now())
	if wait > 900*time.Second {
		wait = 900 * time.Second
	}
	if err := b.h.d.Queue.Send(ctx, m.env, wait); err != nil {
		b.h.d.Log.ErrorContext(ctx, "re-delay failed", "err", err)
		m.failed = true
	}
}

// mappingProblem describes a mapping error for its dead letter: a
// mapping.Error keeps its code and is the details; anything else is
// MAPPING_ERROR with its text.
func mappingProblem(err error) *core.Problem {
	p := &core.Problem{Code: "MAPPING_ERROR", Message: err.Error()}
	var me *mapping.Error
	if errors.As(err, &me) {
		if me.Code != "" {
			p.Code = me.Code
		}
		if b, jerr := json.Marshal(me); jerr == nil {
			p.Details = b
		}
	}
	return p
}

func msgCtx(ctx context.Context, m *message) context.Context {
	return obs.With(ctx, "org", m.env.Org, "source", m.env.Source, "event_id", m.env.EventID,
		"message_id", m.id)
}
