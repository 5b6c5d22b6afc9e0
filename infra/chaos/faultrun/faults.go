package faultrun

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/zohosync/zohosync/infra/zohosim"
)

// recordCodes are the per-record codes the scattered record faults cycle
// through: every one the simulator can inject, permanent and retryable.
var recordCodes = []string{
	"INVALID_DATA", "MANDATORY_NOT_FOUND", "DUPLICATE_DATA", "MULTIPLE_OR_MULTI_ERRORS",
	"DEPENDENT_FIELD_MISSING", "RECORD_LOCKED", "NOT_APPROVED", "ALREADY_MODIFIED",
	"LIMIT_EXCEEDED", "INTERNAL_ERROR", "DEPENDENT_SERVICE_ERROR",
}

// steadyFaults are installed for the whole posting phase, at rates scaled
// by k: a share of all Zoho API calls fail whole (500, hang past the
// client's timeout before or after committing, dropped connection; a 500
// after a write committed; a composite's 504 REQUEST_TIMEOUT after its
// sub-requests ran); a
// share of writes answer 207 mixes (odd records fail with the codes in
// turn, each rule starting the turn at another code); a share of written
// records fail with a per-record code.
func steadyFaults(k float64) []zohosim.Fault {
	out := []zohosim.Fault{
		{ID: "steady-500", Endpoint: "api", Action: zohosim.FaultStatus, Status: 500, Rate: 0.02 * k},
		{ID: "steady-500-commit", Endpoint: "write", Action: zohosim.FaultStatus, Status: 500, Commit: true, Rate: 0.005 * k},
		{ID: "steady-504-commit", Endpoint: "composite", Action: zohosim.FaultStatus, Code: "REQUEST_TIMEOUT",
			Commit: true, Rate: 0.1 * k},
		{ID: "steady-hang", Endpoint: "api", Action: zohosim.FaultHang, Rate: 0.01 * k},
		{ID: "steady-hang-commit", Endpoint: "api", Action: zohosim.FaultHang, Commit: true, Rate: 0.005 * k},
		{ID: "steady-drop", Endpoint: "api", Action: zohosim.FaultDrop, Rate: 0.003 * k},
		{ID: "steady-drop-commit", Endpoint: "api", Action: zohosim.FaultDrop, Commit: true, Rate: 0.002 * k},
		{ID: "steady-record", Endpoint: "write", Action: zohosim.FaultRecordError, Codes: recordCodes, Rate: 0.004 * k},
	}
	for i := range recordCodes {
		codes := append(append([]string(nil), recordCodes[i:]...), recordCodes[:i]...)
		out = append(out, zohosim.Fault{ID: fmt.Sprintf("steady-207-%d", i), Endpoint: "write",
			Action: zohosim.FaultMixed, Codes: codes, Rate: 0.02 * k / float64(len(recordCodes))})
	}
	return out
}

// action is one scheduled disturbance, due when the posted share of events
// reaches at.
type action struct {
	at   float64
	kind string
	n    int // its number within its kind
}

// Kinds of scheduled actions.
const (
	actKill       = "kill"
	actInvalidate = "invalidate"
	act429        = "429 burst"
	actLocked     = "RECORD_LOCKED burst"
	actCode       = "record code"
)

// schedule spreads each kind's actions evenly over the posting phase, each
// kind offset from the others.
func schedule(o Options) []action {
	var out []action
	add := func(kind string, n int, offset, span float64) {
		for i := range n {
			out = append(out, action{at: 0.05 + span*(float64(i)+offset)/float64(n), kind: kind, n: i + 1})
		}
	}
	add(actKill, o.Kills, 0.5, 0.9)
	add(actInvalidate, o.Invalidations, 0.25, 0.9)
	add(act429, o.Bursts, 0.1, 0.9)
	add(actLocked, o.Bursts, 0.6, 0.9)
	// Each per-record code at least twice, whatever the rates made of it;
	// early enough that writes remain to take them.
	add(actCode, len(recordCodes), 0.4, 0.7)
	sort.SliceStable(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// Token invalidations are paced: each one makes zohosync mint a token, and
// its token store mints at most 8 per refresh token per 10 minutes (Zoho
// allows 10). Beyond that zohosync rightly holds every event until the
// window frees, which stalls a run for minutes. Four per window leave room
// for the connect and the refreshes of expiring tokens.
const (
	invalidationBudget = 4
	mintWindow         = 10 * time.Minute
)

// disturber carries out the schedule as posting progresses.
type disturber struct {
	o     Options
	s     *stage
	fl    *fleet
	acts  []action
	mu    sync.Mutex
	count map[string]int
	errs  []error
	wg    sync.WaitGroup
	// pending invalidations wait for room in the mint window; invalidated
	// holds when the last ones happened; skipped counts those still
	// pending when the schedule ended.
	pending     int
	invalidated []time.Time
	skipped     int
}

func newDisturber(o Options, s *stage, fl *fleet) *disturber {
	return &disturber{o: o, s: s, fl: fl, acts: schedule(o), count: map[string]int{}}
}

// install adds the steady faults.
func (d *disturber) install() error {
	for _, f := range steadyFaults(d.o.Faults) {
		if _, err := d.s.sim.AddFault(f); err != nil {
			return err
		}
	}
	return nil
}

// run fires each action once progress() reaches it, until every action is
// done or ctx ends. Kills run in the background so faults keep coming.
func (d *disturber) run(ctx context.Context, progress func() float64) {
	next := 0
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for next < len(d.acts) {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for next < len(d.acts) && progress() >= d.acts[next].at {
			d.fire(ctx, d.acts[next])
			next++
		}
		d.invalidate(time.Now())
	}
	d.mu.Lock()
	d.skipped, d.pending = d.pending, 0
	d.mu.Unlock()
}

// invalidate invalidates every access token for each pending invalidation
// the mint window has room for.
func (d *disturber) invalidate(now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for d.pending > 0 {
		recent := 0
		for _, t := range d.invalidated {
			if now.Sub(t) < mintWindow {
				recent++
			}
		}
		if recent >= invalidationBudget {
			return
		}
		d.s.sim.InvalidateAllTokens()
		d.invalidated = append(d.invalidated, now)
		d.pending--
		d.count[actInvalidate]++
	}
}

func (d *disturber) fire(ctx context.Context, a action) {
	var err error
	switch a.kind {
	case actKill:
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.note(a, d.fl.kill(ctx))
		}()
		return
	case actInvalidate:
		d.mu.Lock()
		d.pending++
		d.mu.Unlock()
		d.invalidate(time.Now())
		return
	case act429:
		_, err = d.s.sim.AddFault(zohosim.Fault{ID: fmt.Sprintf("burst-429-%d", a.n), Endpoint: "api",
			Action: zohosim.FaultStatus, Code: "TOO_MANY_REQUESTS", Count: 4})
	case actLocked:
		_, err = d.s.sim.AddFault(zohosim.Fault{ID: fmt.Sprintf("burst-locked-%d", a.n), Endpoint: "write",
			Action: zohosim.FaultRecordError, Code: "RECORD_LOCKED", Count: 30, For: 3 * time.Second})
	case actCode:
		_, err = d.s.sim.AddFault(zohosim.Fault{ID: fmt.Sprintf("code-%d", a.n), Endpoint: "write",
			Action: zohosim.FaultRecordError, Code: recordCodes[a.n-1], Count: 2})
	}
	d.note(a, err)
}

func (d *disturber) note(a action, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("%s %d: %w", a.kind, a.n, err))
		return
	}
	d.count[a.kind]++
}

// finish waits for kills in progress and for the one-shot rules (bursts,
// record codes) to be spent, at most spentWait, then removes every fault.
func (d *disturber) finish() {
	d.wg.Wait()
	deadline := time.Now().Add(spentWait)
	for time.Now().Before(deadline) && d.oneShotsLive() {
		time.Sleep(50 * time.Millisecond)
	}
	d.s.sim.ClearFaults()
}

// spentWait bounds how long finish waits for writes to take the last
// one-shot rules.
const spentWait = 20 * time.Second

// oneShotsLive reports whether a counted rule is still installed.
func (d *disturber) oneShotsLive() bool {
	for _, f := range d.s.sim.Faults() {
		if f.Count > 0 {
			return true
		}
	}
	return false
}

func (d *disturber) counts() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]int, len(d.count))
	for k, v := range d.count {
		out[k] = v
	}
	return out
}
