package faultrun

import (
	"context"
	"fmt"
	"time"

	"github.com/zohosync/zohosync/infra/chaos/gen"
)

// Run sets the stage, posts the events under faults, waits for the queue
// to drain, stops the workers and settles the books. An error means the
// run itself could not be carried out; what the run found is in Result.
func Run(ctx context.Context, o Options) (*Result, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	started := time.Now()
	s, err := setUp(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("fault run: set up: %w", err)
	}
	defer s.close()
	g, err := gen.New(o.Root, o.Seed)
	if err != nil {
		return nil, err
	}
	fl := newFleet(o, s)
	defer fl.stop(5 * time.Second)
	if err := fl.start(ctx); err != nil {
		return nil, fmt.Errorf("fault run: start workers: %w", err)
	}
	res := &Result{Options: o, SetUp: time.Since(started)}
	if err := phases(ctx, o, s, fl, g, res); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(started)
	return res, nil
}

// phases posts under faults, drains, stops the workers and counts.
func phases(ctx context.Context, o Options, s *stage, fl *fleet, g *gen.Generator, res *Result) error {
	d := newDisturber(o, s, fl)
	if err := d.install(); err != nil {
		return err
	}
	snd := newSender(o, g, s.url)
	dctx, stopFaults := context.WithCancel(ctx)
	defer stopFaults()
	disturbed := make(chan struct{})
	progress := func() float64 { return min(snd.progress(), fl.synced()/snd.expectedOps()) }
	go func() { d.run(dctx, progress); close(disturbed) }()
	stopProgress := s.report(ctx, o, snd, fl)
	postStart := time.Now()
	if err := snd.run(ctx); err != nil {
		return fmt.Errorf("fault run: post: %w", err)
	}
	res.Posting = time.Since(postStart)
	if p, stalled := waitSchedule(disturbed, progress, stallAfter); stalled {
		stopFaults()
		<-disturbed
		res.Problems = append(res.Problems, fmt.Sprintf(
			"sync stalled at %.1f%% of the operations for %s; the rest of the fault schedule was skipped",
			100*p, stallAfter))
	}
	d.finish()
	if err := fl.ready(ctx); err != nil {
		return fmt.Errorf("fault run: a restarted worker: %w", err)
	}
	settleErr := settle(ctx, s, fl, o.SettleTimeout)
	stopProgress()
	res.Drain = time.Since(postStart) - res.Posting
	res.StopErr = fl.stop(2 * o.Timing.FunctionTimeout)
	return res.collect(ctx, s, fl, d, snd, settleErr)
}

// stallAfter is how long sync may make no progress while the fault
// schedule waits on it: well above a killed batch's visibility timeout and
// the run's backoffs, so only a sync that lost track of operations, or
// stopped, trips it.
const stallAfter = 2 * time.Minute

// waitSchedule waits for the fault schedule to finish, unless progress
// stands still for stall (sync lost track of operations, or stopped). It
// returns the progress reached and whether it stalled.
func waitSchedule(done <-chan struct{}, progress func() float64, stall time.Duration) (float64, bool) {
	last, since := progress(), time.Now()
	for {
		select {
		case <-done:
			return progress(), false
		case <-time.After(200 * time.Millisecond):
		}
		if p := progress(); p != last {
			last, since = p, time.Now()
		} else if time.Since(since) > stall {
			return p, true
		}
	}
}

// report prints a progress line every five seconds until stopped.
func (s *stage) report(ctx context.Context, o Options, snd *sender, fl *fleet) func() {
	if o.Progress == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Second):
			}
			q, _ := s.depth(ctx, s.queueURL())
			fl.mu.Lock()
			synced, kills := len(fl.done), fl.kills
			fl.mu.Unlock()
			fmt.Fprintf(o.Progress, "%6.0fs  posted %5.1f%%  queue: %s  operations synced %d  kills %d  busy batches %d\n",
				time.Since(start).Seconds(), 100*snd.progress(), q, synced, kills, fl.busy())
		}
	}()
	return func() { cancel(); <-done }
}
