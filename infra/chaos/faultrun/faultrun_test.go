package faultrun

import (
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/chaos/account"
	"github.com/zohosync/zohosync/infra/chaos/scan"
	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/config"
)

func TestWithDefaults(t *testing.T) {
	cases := []struct {
		events                 int
		kills, invalid, bursts int
	}{
		{events: 1200, kills: 3, invalid: 3, bursts: 4},
		{events: 20000, kills: 4, invalid: 4, bursts: 40},
		{events: 100000, kills: 12, invalid: 12, bursts: 40},
	}
	for _, c := range cases {
		o, err := Options{Events: c.events, Worker: []string{"w"}, Dir: "d"}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		if o.Kills != c.kills || o.Invalidations != c.invalid || o.Bursts != c.bursts {
			t.Errorf("%d events: kills %d, invalidations %d, bursts %d; want %d, %d, %d",
				c.events, o.Kills, o.Invalidations, o.Bursts, c.kills, c.invalid, c.bursts)
		}
		if o.Timing != DefaultTiming || o.Workers != 2 || o.Faults != 1 {
			t.Errorf("%d events: defaults not applied: %+v", c.events, o)
		}
	}
	if _, err := (Options{Events: 10}).withDefaults(); err == nil {
		t.Error("no worker command and no folder: no error")
	}
}

// TestDefaultTimingKeepsTheInvariants checks the orderings the run's
// short settings must keep.
func TestDefaultTimingKeepsTheInvariants(t *testing.T) {
	d := DefaultTiming
	checks := []struct {
		name string
		ok   bool
	}{
		{"function timeout below the visibility timeout", d.FunctionTimeout < d.Visibility},
		{"slot lease above the call timeout", d.LedgerLease > d.CallTimeout},
		{"refresh lease 5 s above the refresh timeout", d.AuthLease >= d.AuthRefreshTimeout+5*time.Second},
		{"reserve and a call fit in the function timeout", d.Reserve+d.CallTimeout < d.FunctionTimeout},
		{"a retry budget", d.Policy.MaxAttempts > 1},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("DefaultTiming breaks: %s", c.name)
		}
	}
}

func TestSchedule(t *testing.T) {
	o := Options{Kills: 3, Invalidations: 4, Bursts: 5}
	acts := schedule(o)
	count := map[string]int{}
	for i, a := range acts {
		count[a.kind]++
		if a.at <= 0.05 || a.at >= 0.95 {
			t.Errorf("%s %d at %.3f, want inside (0.05, 0.95)", a.kind, a.n, a.at)
		}
		if i > 0 && a.at < acts[i-1].at {
			t.Errorf("schedule out of order at %d", i)
		}
	}
	want := map[string]int{actKill: 3, actInvalidate: 4, act429: 5, actLocked: 5, actCode: len(recordCodes)}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%d %s actions, want %d", count[k], k, n)
		}
	}
}

func TestSteadyFaultsAreValid(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range steadyFaults(1) {
		if seen[f.ID] {
			t.Errorf("fault id %s twice", f.ID)
		}
		seen[f.ID] = true
		if f.Rate <= 0 || f.Rate > 0.1 {
			t.Errorf("%s rate %.4f, want a small share (at most 10%%)", f.ID, f.Rate)
		}
	}
	if len(seen) < 7+len(recordCodes) {
		t.Errorf("%d steady faults, want the seven request faults, scattered record codes and a 207 rule per code", len(seen))
	}
}

func TestWaitSchedule(t *testing.T) {
	done := make(chan struct{})
	close(done)
	if _, stalled := waitSchedule(done, func() float64 { return 1 }, time.Second); stalled {
		t.Error("a finished schedule counted as stalled")
	}
	p, stalled := waitSchedule(make(chan struct{}), func() float64 { return 0.4 }, 300*time.Millisecond)
	if !stalled || p != 0.4 {
		t.Errorf("standing progress: %.2f, stalled %v; want 0.40 and stalled", p, stalled)
	}
}

// TestWriteConfig: the written config loads, points the org at the tap
// and sizes it like the simulator.
func TestWriteConfig(t *testing.T) {
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	path, err := writeConfig(root, t.TempDir(), "http://127.0.0.1:12345")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("the written config does not load: %v", err)
	}
	o := cfg.Orgs[org]
	if o == nil || o.AccountsURL != "http://127.0.0.1:12345" || o.Edition != edition || o.Users != users {
		t.Errorf("org = %+v, want accounts_url at the tap, %s edition, %d users", o, edition, users)
	}
}

func TestResultVerdict(t *testing.T) {
	good := func() *Result {
		return &Result{Books: account.Account(account.Inputs{Wire: func(string) map[string]int { return nil }}),
			Retries: map[string]int{"TIMEOUT": 2}, Disturbed: map[string]int{}}
	}
	cases := []struct {
		name   string
		change func(r *Result)
		ok     bool
	}{
		{"clean", func(*Result) {}, true},
		{"leak", func(r *Result) { r.Scan.Findings = []scan.Finding{{File: "w.log", Label: "x"}} }, false},
		{"stuck message", func(r *Result) { r.Stuck = 1 }, false},
		{"poison message", func(r *Result) { r.Poison = 1 }, false},
		{"refused delivery", func(r *Result) { r.Refused = 1 }, false},
		{"run problem", func(r *Result) { r.Problems = []string{"worker exited"} }, false},
		{"lost record", func(r *Result) { r.Books.Lost = 1 }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := good()
			c.change(r)
			var b strings.Builder
			r.Print(&b)
			if r.OK() != c.ok || strings.HasSuffix(b.String(), "FAILED\n") == c.ok {
				t.Errorf("OK() = %v, want %v; table:\n%s", r.OK(), c.ok, b.String())
			}
		})
	}
}

func TestWorkerEnvKeepsTheMachineOut(t *testing.T) {
	t.Setenv("AWS_PROFILE", "someone-elses")
	s := &stage{env: map[string]string{"ZOHOSYNC_TABLE": "t"}}
	dir := t.TempDir()
	env := s.workerEnv(Options{Dir: dir, WorkerEnv: []string{"ROLE=worker"}})
	joined := strings.Join(env, "\n")
	for _, want := range []string{"ZOHOSYNC_TABLE=t", "ROLE=worker", "HOME=" + dir} {
		if !strings.Contains(joined, want) {
			t.Errorf("worker env lacks %s", want)
		}
	}
	if strings.Contains(joined, "AWS_PROFILE") {
		t.Error("worker env carries the machine's AWS_PROFILE")
	}
}

// TestInvalidationsArePaced: at most invalidationBudget invalidations per
// mint window; the rest wait for the window to move.
func TestInvalidationsArePaced(t *testing.T) {
	sim, err := zohosim.New(zohosim.Config{DataCenters: []string{"us"}})
	if err != nil {
		t.Fatal(err)
	}
	d := &disturber{s: &stage{sim: sim}, count: map[string]int{}, pending: 6}
	start := time.Unix(1_800_000_000, 0)
	steps := []struct {
		at   time.Duration
		done int
	}{
		{0, invalidationBudget},
		{mintWindow / 2, invalidationBudget},
		{mintWindow + time.Second, 6},
	}
	for _, s := range steps {
		d.invalidate(start.Add(s.at))
		if got := d.count[actInvalidate]; got != s.done {
			t.Errorf("after %s: %d invalidations, want %d", s.at, got, s.done)
		}
	}
	if d.pending != 0 {
		t.Errorf("%d still pending, want 0", d.pending)
	}
}
