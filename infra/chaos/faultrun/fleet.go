package faultrun

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/zohosync/zohosync/infra/chaos/account"
	"github.com/zohosync/zohosync/infra/chaos/worker"
	"github.com/zohosync/zohosync/shared/syncer"
)

// fleet runs the sync worker processes: one per slot, a new incarnation
// after each kill. It gathers their result reports.
type fleet struct {
	o     Options
	s     *stage
	rnd   *rand.Rand
	spawn sync.Mutex // one spawn or kill at a time

	mu       sync.Mutex
	procs    []*worker.Proc
	born     []int // incarnations per slot
	logs     []string
	done     map[account.OpRef]bool
	retries  map[string]int // by code
	results  int
	kills    int
	midBatch int
	exits    []error // workers that exited on their own
}

func newFleet(o Options, s *stage) *fleet {
	return &fleet{o: o, s: s, rnd: rand.New(rand.NewPCG(o.Seed, 0x6b696c6c)),
		procs: make([]*worker.Proc, o.Workers), born: make([]int, o.Workers), done: map[account.OpRef]bool{},
		retries: map[string]int{}}
}

func (f *fleet) settings(slot int) worker.Settings {
	t := f.o.Timing
	return worker.Settings{
		Name:     fmt.Sprintf("w%d.%d", slot+1, f.born[slot]),
		QueueARN: f.s.st.Names.QueueARNs["EventsQueue"], BatchSize: t.BatchSize, Window: t.Window,
		Concurrency: t.Concurrency, FunctionTimeout: t.FunctionTimeout,
		Sync: syncer.Options{CallTimeout: t.CallTimeout, Reserve: t.Reserve, ThrottleCoolDown: t.ThrottleCoolDown,
			ReauthWait: t.ReauthWait},
		Policy:      t.Policy,
		LedgerLease: t.LedgerLease, LedgerRetryAfter: t.LedgerRetryAfter,
		AuthLease: t.AuthLease, AuthRefreshTimeout: t.AuthRefreshTimeout, AuthMaxWait: t.AuthMaxWait,
	}
}

// start starts every slot's first worker and waits until all poll.
func (f *fleet) start(ctx context.Context) error {
	for slot := range f.procs {
		if _, err := f.launch(slot); err != nil {
			return err
		}
	}
	for _, p := range f.current() {
		if err := p.Ready(ctx); err != nil {
			return err
		}
	}
	return nil
}

// launch starts a new incarnation in slot.
func (f *fleet) launch(slot int) (*worker.Proc, error) {
	f.mu.Lock()
	f.born[slot]++
	set := f.settings(slot)
	f.mu.Unlock()
	path := filepath.Join(f.o.Dir, "worker-"+set.Name+".log")
	log, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	p, err := worker.Spawn(worker.Spec{Command: f.o.Worker, Env: f.s.workerEnv(f.o), Settings: set, Log: log,
		OnMessage: f.message})
	if err != nil {
		log.Close()
		return nil, err
	}
	f.mu.Lock()
	f.procs[slot] = p
	f.logs = append(f.logs, path)
	f.mu.Unlock()
	go f.watch(slot, p, log)
	return p, nil
}

// watch closes a worker's log when it exits and notes an exit that nobody
// asked for.
func (f *fleet) watch(slot int, p *worker.Proc, log *os.File) {
	<-p.Done()
	log.Close()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.procs[slot] == p {
		f.exits = append(f.exits, fmt.Errorf("worker %d exited on its own (%v); see its log", p.Pid(), p.Err()))
	}
}

// message records one result report.
func (f *fleet) message(m worker.Message) {
	if m.Type != worker.TypeResult {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results++
	switch m.Outcome {
	case "done":
		f.done[account.OpRef{Event: m.Event, Op: m.Op}] = true
	case "retry":
		f.retries[m.Code]++
	}
}

// synced is the number of operations reported done.
func (f *fleet) synced() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return float64(len(f.done))
}

func (f *fleet) current() []*worker.Proc {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*worker.Proc(nil), f.procs...)
}

// busy is the number of batches being invoked across the fleet.
func (f *fleet) busy() int {
	n := 0
	for _, p := range f.current() {
		if p != nil {
			n += p.Busy()
		}
	}
	return n
}

// kill SIGKILLs a worker that holds a batch, a moment into it (or any
// worker if none gets one within a few seconds), and starts its successor.
func (f *fleet) kill(ctx context.Context) error {
	f.spawn.Lock()
	defer f.spawn.Unlock()
	slot := f.pickBusy(ctx, 5*time.Second)
	p := f.current()[slot]
	if p == nil {
		return fmt.Errorf("worker slot %d is empty", slot+1)
	}
	time.Sleep(time.Duration(f.rnd.IntN(150)) * time.Millisecond)
	mid := p.Busy() > 0
	f.mu.Lock()
	f.procs[slot] = nil // its exit is expected
	f.mu.Unlock()
	if err := p.Kill(); err != nil {
		return err
	}
	f.mu.Lock()
	f.kills++
	if mid {
		f.midBatch++
	}
	f.mu.Unlock()
	_, err := f.launch(slot)
	return err
}

// pickBusy returns a slot whose worker holds a batch, waiting up to wait
// for one; failing that, a random slot.
func (f *fleet) pickBusy(ctx context.Context, wait time.Duration) int {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		procs := f.current()
		start := f.rnd.IntN(len(procs))
		for i := range procs {
			slot := (start + i) % len(procs)
			if procs[slot] != nil && procs[slot].Busy() > 0 {
				return slot
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return f.rnd.IntN(len(f.procs))
}

// stop asks every worker to finish its batches and exit.
func (f *fleet) stop(grace time.Duration) error {
	f.spawn.Lock()
	defer f.spawn.Unlock()
	var errs []error
	for slot, p := range f.current() {
		if p == nil {
			continue
		}
		f.mu.Lock()
		f.procs[slot] = nil
		f.mu.Unlock()
		if err := p.Stop(grace); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ready waits for every current worker to poll.
func (f *fleet) ready(ctx context.Context) error {
	for _, p := range f.current() {
		if p != nil {
			if err := p.Ready(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}
