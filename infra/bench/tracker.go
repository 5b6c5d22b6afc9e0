package main

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

// tracker follows each event from its post to the last of its records
// written in the CRM. Wire result to the sync handler's OnResult. It is
// safe for concurrent use.
type tracker struct {
	mu       sync.Mutex
	expect   map[string]int // event id -> operations it maps to
	posted   map[string]time.Time
	done     map[string]int
	dead     map[string]int
	finished map[string]time.Time // every operation done or dead
	records  int
	deadOps  int
	requeued int
	codes    map[string]int // requeued operations by problem code
	first    time.Time
	last     time.Time
	waiting  int
	closed   bool
	allDone  chan struct{}
}

func newTracker() *tracker {
	return &tracker{expect: map[string]int{}, posted: map[string]time.Time{}, done: map[string]int{},
		dead: map[string]int{}, finished: map[string]time.Time{}, codes: map[string]int{}, allDone: make(chan struct{})}
}

// expectEvent registers an event that is about to be posted and how many
// operations it maps to; wait then waits for it.
func (t *tracker) expectEvent(id string, ops int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.expect[id]; ok {
		return
	}
	t.expect[id] = ops
	if ops > 0 {
		t.waiting++
	}
}

// post records when an event was posted.
func (t *tracker) post(id string, at time.Time) {
	t.mu.Lock()
	t.posted[id] = at
	t.mu.Unlock()
}

// drop stops waiting for an event the front door did not accept.
func (t *tracker) drop(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, fin := t.finished[id]; fin || t.expect[id] == 0 {
		return
	}
	t.expect[id] = 0
	t.release()
}

// release counts one event off and wakes wait after the last.
func (t *tracker) release() {
	t.waiting--
	if t.waiting == 0 && !t.closed {
		t.closed = true
		close(t.allDone)
	}
}

// result records one settled operation (the sync handler's OnResult).
func (t *tracker) result(_ context.Context, r core.Result) {
	if r.Op == nil {
		return
	}
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range r.Op.Sources {
		switch r.Outcome {
		case core.Done:
			t.records++
			if t.first.IsZero() {
				t.first = now
			}
			t.last = now
			t.done[s.EventID]++
		case core.Dead:
			n := 1
			if r.Op.ID == "" { // a whole-event dead letter
				n = t.expect[s.EventID]
			}
			t.deadOps += n
			t.dead[s.EventID] += n
		default:
			t.requeued++
			if r.Problem != nil {
				t.codes[r.Problem.Code]++
			}
			continue
		}
		t.check(s.EventID, now)
	}
}

// check marks an event finished once all its operations are settled.
func (t *tracker) check(id string, now time.Time) {
	want, ok := t.expect[id]
	if !ok || want == 0 {
		return
	}
	if _, fin := t.finished[id]; fin || t.done[id]+t.dead[id] < want {
		return
	}
	t.finished[id] = now
	t.release()
}

// wait blocks until every expected event is finished or ctx ends.
func (t *tracker) wait(ctx context.Context) error {
	t.mu.Lock()
	if t.waiting == 0 {
		t.mu.Unlock()
		return nil
	}
	ch := t.allDone
	t.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// trackerStats is what the tracker saw.
type trackerStats struct {
	records, deadOps, requeued, unfinished int
	codes                                  map[string]int
	first, last                            time.Time
	// toCRM is, per finished event with a written record, the time from
	// its post (or from since, when later) to its last settled operation.
	toCRM []time.Duration
}

func (t *tracker) stats(since time.Time) trackerStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := trackerStats{records: t.records, deadOps: t.deadOps, requeued: t.requeued, first: t.first, last: t.last,
		unfinished: t.waiting, codes: maps.Clone(t.codes)}
	for id, at := range t.finished {
		if t.expect[id] == 0 || t.done[id] == 0 {
			continue
		}
		from := t.posted[id]
		if since.After(from) {
			from = since
		}
		st.toCRM = append(st.toCRM, at.Sub(from))
	}
	return st
}
