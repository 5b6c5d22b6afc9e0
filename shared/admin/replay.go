package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/dynamo"
)

// DefaultReplayLimit bounds one replay call; call again for more.
const DefaultReplayLimit = 100

// MaxReplayLimit is the most dead letters one replay call takes (its Limit,
// or its number of IDs): more could outlast the function's timeout.
const MaxReplayLimit = 1000

// replayMargin is the invocation time replay keeps unused: an event is only
// marked and enqueued while more is left, because a function stopped
// between the mark and the enqueue would leave its dead letters marked
// replayed with nothing enqueued.
const replayMargin = 5 * time.Second

// notReplayedLate is the failure of dead letters left for the next call.
const notReplayedLate = "not replayed: the invocation ran short of time; replay again"

// ReplayAnswer is replay's answer.
type ReplayAnswer struct {
	// Enqueued are the events sent back to the queue (one per event, however
	// many of its operations were dead-lettered).
	Enqueued []ReplayedEvent `json:"enqueued"`
	// Skipped are dead letters already replayed (by an earlier call).
	Skipped []string `json:"already_replayed,omitempty"`
	// Failed are dead letters that could not be replayed now, with why.
	Failed map[string]string `json:"failed,omitempty"`
	// More is set when the selection has more dead letters than Limit.
	More    bool `json:"more,omitempty"`
	Preview bool `json:"preview,omitempty"`
}

// ReplayedEvent is one event sent back to the queue.
type ReplayedEvent struct {
	Source      string   `json:"source"`
	EventID     string   `json:"event_id"`
	DeadLetters []string `json:"dead_letters"`
}

// replay re-enqueues the selected dead letters' events. Each dead letter is
// marked replayed first, with a conditional write, so replaying the same
// selection twice enqueues nothing the second time; the event goes back
// without its mapped operations, so the sync maps it with the current
// config. The upserts it produces match existing records, so a record
// written before the failure is updated, not duplicated.
func (h *Handler) replay(ctx context.Context, req Request) (any, error) {
	sel, more, err := h.selectDeadLetters(ctx, req)
	if err != nil {
		return nil, err
	}
	ans := ReplayAnswer{Enqueued: []ReplayedEvent{}, Failed: map[string]string{}, More: more, Preview: req.Preview}
	byEvent := map[string]*ReplayedEvent{}
	var order []string
	envs := map[string]*core.Envelope{}
	for _, id := range sel {
		rec, err := h.d.DeadLetters.Get(ctx, id)
		if err != nil {
			ans.Failed[id] = err.Error()
			continue
		}
		if !rec.ReplayedAt.IsZero() {
			ans.Skipped = append(ans.Skipped, id)
			continue
		}
		if rec.BodyLost {
			ans.Failed[id] = "the event body is no longer stored"
			continue
		}
		key := rec.Source + "\x00" + rec.EventID
		ev := byEvent[key]
		if ev == nil {
			ev = &ReplayedEvent{Source: rec.Source, EventID: rec.EventID}
			byEvent[key] = ev
			order = append(order, key)
			envs[key] = freshEnvelope(rec.Envelope, id)
		}
		ev.DeadLetters = append(ev.DeadLetters, id)
	}
	for i, key := range order {
		ev := byEvent[key]
		if req.Preview {
			ans.Enqueued = append(ans.Enqueued, *ev)
			continue
		}
		if shortOfTime(ctx) {
			for _, k := range order[i:] {
				for _, id := range byEvent[k].DeadLetters {
					ans.Failed[id] = notReplayedLate
				}
			}
			ans.More = true
			break
		}
		if err := h.replayEvent(ctx, envs[key], ev); err != nil {
			for _, id := range ev.DeadLetters {
				ans.Failed[id] = err.Error()
			}
			continue
		}
		ans.Enqueued = append(ans.Enqueued, *ev)
	}
	if len(ans.Failed) == 0 {
		ans.Failed = nil
	}
	return ans, nil
}

// replayEvent marks the event's dead letters replayed and enqueues it once;
// if the enqueue fails the marks are undone. A dead letter another caller
// marked meanwhile drops out; when none is left, nothing is enqueued.
func (h *Handler) replayEvent(ctx context.Context, env *core.Envelope, ev *ReplayedEvent) error {
	var marks []dynamo.ReplayMark
	var mine []string
	for _, id := range ev.DeadLetters {
		m, err := h.d.DeadLetters.MarkReplayed(ctx, id)
		if errors.Is(err, dynamo.ErrAlreadyReplayed) {
			continue
		}
		if err != nil {
			h.unmark(ctx, marks)
			return fmt.Errorf("mark replayed: %w", err)
		}
		marks = append(marks, m)
		mine = append(mine, id)
	}
	if len(marks) == 0 {
		return errors.New("already replayed by another caller")
	}
	if err := h.d.Queue.Send(ctx, env, 0); err != nil {
		h.unmark(ctx, marks)
		return fmt.Errorf("enqueue: %w", err)
	}
	ev.DeadLetters = mine
	return nil
}

// shortOfTime reports whether less than replayMargin of the invocation is
// left.
func shortOfTime(ctx context.Context) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < replayMargin
}

func (h *Handler) unmark(ctx context.Context, marks []dynamo.ReplayMark) {
	for _, m := range marks {
		if err := h.d.DeadLetters.UnmarkReplayed(context.WithoutCancel(ctx), m); err != nil {
			h.d.Log.ErrorContext(ctx, "undo replay mark failed", "dead_letter", m.ID, "err", err)
		}
	}
}

// freshEnvelope is the dead letter's event as it was first received: no
// mapped operations, no retry state.
func freshEnvelope(e core.Envelope, deadLetterID string) *core.Envelope {
	e.Ops, e.Attempt, e.FirstAttemptAt, e.NotBefore, e.LastProblem = nil, 0, nil, nil, nil
	e.Replay = deadLetterID
	return &e
}

// selectDeadLetters returns the ids the request selects, oldest last, at
// most Limit, and whether more match.
func (h *Handler) selectDeadLetters(ctx context.Context, req Request) ([]string, bool, error) {
	if len(req.IDs) > MaxReplayLimit || req.Limit > MaxReplayLimit {
		return nil, false, fmt.Errorf("%w: replay takes at most %d dead letters per call; call again for more",
			ErrBadRequest, MaxReplayLimit)
	}
	if len(req.IDs) > 0 {
		return req.IDs, false, nil
	}
	if req.Org != "" {
		if _, err := h.org(req.Org); err != nil {
			return nil, false, err
		}
	}
	if req.Source != "" && h.d.Config.Sources[req.Source] == nil {
		return nil, false, fmt.Errorf("%w: source %q is not in the config", ErrBadRequest, req.Source)
	}
	if req.Org == "" && req.Source == "" {
		if len(h.d.Config.Orgs) != 1 {
			return nil, false, fmt.Errorf("%w: replay needs ids, an org or a source", ErrBadRequest)
		}
		o, _ := h.org("")
		req.Org = o.Name
	}
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultReplayLimit
	}
	q := dynamo.Query{Org: req.Org, Source: req.Source, Code: req.Code, From: req.Since, To: req.Until,
		Pending: true, Limit: min(limit+1, dynamo.MaxPageSize)}
	var ids []string
	for {
		p, err := h.d.DeadLetters.List(ctx, q)
		if err != nil {
			return nil, false, fmt.Errorf("list dead letters: %w", err)
		}
		for _, s := range p.Items {
			ids = append(ids, s.ID)
		}
		if len(ids) > limit {
			return ids[:limit], true, nil
		}
		if p.Next == "" {
			return ids, false, nil
		}
		q.Cursor = p.Next
	}
}
