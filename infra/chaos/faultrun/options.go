package faultrun

import (
	"errors"
	"io"
	"time"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/shared/retry"
)

// Options configure a run. Events, Worker and Dir are required.
type Options struct {
	// Events is the number of distinct events to post.
	Events int
	// Seed picks the events and the simulator's random faults.
	Seed uint64
	// Workers is the number of sync worker processes (default 2); Posters
	// the number of concurrent senders (default 6).
	Workers int
	Posters int
	// Worker is the command that runs worker.Main (the chaos command's
	// worker mode, or a re-executed test binary); WorkerEnv is added to the
	// workers' environment.
	Worker    []string
	WorkerEnv []string
	// Dir receives the logs that are scanned, the run's config file and
	// the emulators' logs when the run starts them.
	Dir string
	// Root is the repository (default: found from the working directory).
	Root string
	// Emulators, when set, are running emulators to use.
	Emulators *emu.Stack
	// Kills, Invalidations and Bursts are how many worker kills, token
	// invalidations and bursts (of 429s, and of RECORD_LOCKED) happen while
	// posting; 0 scales them with Events.
	Kills, Invalidations, Bursts int
	// Faults scales the steady fault rates (default 1; 0.5 halves them).
	Faults float64
	// SettleTimeout bounds the wait for the queue to drain after posting
	// (default 3 minutes).
	SettleTimeout time.Duration
	// Progress receives a line every few seconds (nil: none).
	Progress io.Writer
	Timing   Timing
}

// Timing holds the short timeouts, leases and backoffs of the run.
type Timing struct {
	// Visibility is the events queue's visibility timeout: how long a
	// killed worker's batch stays hidden. FunctionTimeout must be shorter.
	Visibility      time.Duration
	FunctionTimeout time.Duration
	// CallTimeout bounds one Zoho call (a hang past it is a timeout).
	CallTimeout time.Duration
	// Reserve, ThrottleCoolDown and ReauthWait are syncer.Options.
	Reserve, ThrottleCoolDown, ReauthWait time.Duration
	// BatchSize, Window and Concurrency are each worker's event source
	// mapping settings.
	BatchSize   int
	Window      time.Duration
	Concurrency int
	Policy      retry.Policy
	// Ledger slot lease and concurrency retry hint; token refresh lease,
	// refresh timeout and wait.
	LedgerLease, LedgerRetryAfter              time.Duration
	AuthLease, AuthRefreshTimeout, AuthMaxWait time.Duration
}

// DefaultTiming keeps every wait short enough for a run of a minute while
// keeping the invariants zohosync documents: the visibility timeout above
// the function timeout, slot leases above the call timeout, the refresh
// lease 5 s above the refresh timeout.
var DefaultTiming = Timing{
	Visibility:       10 * time.Second,
	FunctionTimeout:  8 * time.Second,
	CallTimeout:      1500 * time.Millisecond,
	Reserve:          time.Second,
	ThrottleCoolDown: 500 * time.Millisecond,
	ReauthWait:       5 * time.Second,
	BatchSize:        50,
	Window:           500 * time.Millisecond,
	Concurrency:      3,
	Policy: retry.Policy{Base: 200 * time.Millisecond, Cap: 3 * time.Second, Floor: 100 * time.Millisecond,
		MaxAttempts: 10, MaxAge: time.Hour},
	LedgerLease:        4 * time.Second,
	LedgerRetryAfter:   100 * time.Millisecond,
	AuthLease:          7 * time.Second,
	AuthRefreshTimeout: 2 * time.Second,
	AuthMaxWait:        8 * time.Second,
}

func (o Options) withDefaults() (Options, error) {
	if o.Events <= 0 || len(o.Worker) == 0 || o.Dir == "" {
		return o, errors.New("faultrun: Events, Worker and Dir are required")
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Posters <= 0 {
		o.Posters = 6
	}
	if o.Timing == (Timing{}) {
		o.Timing = DefaultTiming
	}
	if o.Faults == 0 {
		o.Faults = 1
	}
	scale := func(n *int, per, lo, hi int) {
		if *n <= 0 {
			*n = min(max(o.Events/per, lo), hi)
		}
	}
	scale(&o.Kills, 5000, 3, 12)
	scale(&o.Invalidations, 5000, 3, 12)
	scale(&o.Bursts, 500, 4, 40)
	if o.SettleTimeout <= 0 {
		o.SettleTimeout = 3 * time.Minute
	}
	if o.Root == "" {
		r, err := emu.RepoRoot()
		if err != nil {
			return o, err
		}
		o.Root = r
	}
	return o, nil
}
