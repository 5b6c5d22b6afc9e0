package ledger

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/auth"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/plan"
	"github.com/zohosync/zohosync/shared/plan/plantest"
	"github.com/zohosync/zohosync/shared/zoho"
)

// fleet is one org's stack as a fleet of sync containers sees it: the
// simulator, the state table, and per-worker token stores and ledgers.
type fleet struct {
	sim    *zohosim.Sim
	srv    *zohosim.Server
	table  string
	db     *faultDB // counts the table calls of the whole fleet
	lim    Limits
	client *zoho.Client
	id     string
	secret string
}

const (
	fleetDaily = 3000 // the simulated org's daily credits
	fleetShare = 0.5  // zohosync's share of them: a budget of 1,500
	fleetUnits = 8    // concurrency share (the simulated edition allows 20)
	fleetSub   = 4    // sub-concurrency share (Zoho allows 10)
)

func newFleet(t *testing.T) *fleet {
	t.Helper()
	// Calls take a little time, so that they overlap as real ones do.
	ms := zohosim.Latency{Kind: "fixed", Fixed: 2 * time.Millisecond}
	sim, err := zohosim.New(zohosim.Config{
		DataCenters: []string{"eu"}, Edition: "enterprise", DailyCredits: fleetDaily,
		Latency: zohosim.Latencies{Token: ms, Write: ms, Composite: ms},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	f := &fleet{sim: sim, srv: srv, id: "1000.FLEET", secret: "fleet-secret",
		lim: Limits{Budget: fleetDaily * fleetShare, Share: fleetShare, Concurrency: fleetUnits, Sub: fleetSub}}
	if err := sim.AddClient("eu", f.id, f.secret); err != nil {
		t.Fatal(err)
	}
	f.table = emutest.Provision(t).Tables["StateTable"]
	f.db = &faultDB{DB: emutest.Dynamo(t)}
	if f.client, err = zoho.NewClient(&http.Client{Timeout: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fleet) tokens(t testing.TB) *auth.Store {
	s, err := auth.New(f.db, auth.Options{
		Table: f.table,
		Clients: func(context.Context, string) (auth.Client, error) {
			return auth.Client{ID: f.id, Secret: f.secret}, nil
		},
		AccountsURLs: map[string]string{"acme": f.srv.AccountsURL("eu")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *fleet) ledger(t testing.TB) *Ledger {
	l, err := New(f.db, Options{Table: f.table, Orgs: map[string]Limits{"acme": f.lim}})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// worker is one sync container: its own token store and ledger.
type worker struct {
	f      *fleet
	tokens *auth.Store
	led    *Ledger
	tally  *fleetTally
}

type fleetTally struct {
	written, deferred, calls, credits atomic.Int64
}

// runBatch plans one SQS batch, reserves the plan's credits once, sends its
// calls stage by stage (a stage's calls concurrently, each inside acquired
// slots), and settles with what was spent and Zoho's remaining credits.
func (w *worker) runBatch(ctx context.Context, ops []*core.Operation) error {
	p, err := plan.Make(ops, plan.Limits{Bind: plan.Auto, Units: fleetUnits, Sub: fleetSub, Credits: -1})
	if err != nil || len(p.Rejected) > 0 {
		return errors.Join(err, errors.New("planner rejected operations"))
	}
	res, err := w.reserve(ctx, p.Cost.Credits)
	var d *core.Denied
	if errors.As(err, &d) {
		w.tally.deferred.Add(int64(p.Ops)) // requeued until d.RetryAt
		return nil
	}
	if err != nil {
		return err
	}
	var spent, remaining atomic.Int64
	remaining.Store(-1)
	results := &sync.Map{}
	for _, stage := range p.Stages {
		errs := make([]error, len(stage))
		var wg sync.WaitGroup
		for i, call := range stage {
			fillRefs(call, results)
			wg.Go(func() {
				rep, err := w.send(ctx, call)
				if err != nil {
					errs[i] = err
					return
				}
				spent.Add(int64(plan.CostOf(call).Credits))
				if rep.CreditsRemaining >= 0 {
					remaining.Store(int64(rep.CreditsRemaining))
				}
				for _, r := range rep.Results {
					results.Store(r.Op, r)
					if r.Outcome == core.Done {
						w.tally.written.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	w.tally.credits.Add(spent.Load())
	return res.Settle(context.WithoutCancel(ctx), int(spent.Load()), int(remaining.Load()))
}

// reserve retries a contention denial; a budget denial is returned.
func (w *worker) reserve(ctx context.Context, credits int) (core.Reservation, error) {
	for {
		res, err := w.led.Reserve(ctx, "acme", credits)
		var d *core.Denied
		if !errors.As(err, &d) || d.Reason != "contention" {
			return res, err
		}
		time.Sleep(time.Until(d.RetryAt))
	}
}

// send makes one Zoho call within its concurrency slots.
func (w *worker) send(ctx context.Context, call *core.Call) (*core.CallReport, error) {
	c := plan.CostOf(call)
	slots, err := w.led.AcquireWait(ctx, "acme", c.Units, c.Sub)
	if err != nil {
		return nil, err
	}
	defer slots.Release(context.WithoutCancel(ctx))
	tok, err := w.tokens.Token(ctx, "acme")
	if err != nil {
		return nil, err
	}
	w.tally.calls.Add(1)
	return w.f.client.Do(ctx, tok, call)
}

// fillRefs writes record ids from earlier stages into lookup fields that
// the call itself does not wire (composite sub-requests wire their own).
func fillRefs(call *core.Call, results *sync.Map) {
	wired := map[*core.Operation]map[string]bool{}
	for _, s := range call.Subs {
		wired[s.Op] = map[string]bool{}
		for field := range s.Refs {
			wired[s.Op][field] = true
		}
	}
	for _, op := range call.Operations() {
		for field, target := range op.RefTargets {
			if wired[op][field] {
				continue
			}
			if r, ok := results.Load(target); ok {
				op.Fields[field] = map[string]any{"id": r.(core.Result).RecordID}
			}
		}
	}
}

// fleetBatches cuts a synthetic webhook stream of at least records
// operations into SQS-sized batches of 100 events.
func fleetBatches(records int) ([][]*core.Operation, int) {
	cfg := plantest.DefaultStream
	cfg.Events = records // more than needed; cut below
	events := plantest.Stream(cfg)
	n, cut := 0, 0
	for cut < len(events) && n < records {
		n += len(events[cut].Ops)
		cut++
	}
	return plantest.Batches(events[:cut], time.Hour, 100), n
}

// TestFleetStaysWithinTheOrgsLimits pushes 20,000 records through plan →
// ledger → Zoho client → simulator with 50 concurrent workers, each its own
// container (token store and ledger over one state table). The budget is
// smaller than the stream needs, so part of it must be deferred.
func TestFleetStaysWithinTheOrgsLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("fleet test: 20,000 records against the emulator and simulator")
	}
	f := newFleet(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	code := f.sim.GrantCode("eu", f.id, "")
	if _, err := f.tokens(t).Connect(ctx, "acme", "eu", code, f.id, f.secret); err != nil {
		t.Fatal(err)
	}
	batches, records := fleetBatches(20000)
	writes0, reads0 := f.db.writes(), f.db.gets.Load()+f.db.queries.Load()
	queue := make(chan []*core.Operation, len(batches))
	for _, b := range batches {
		queue <- b
	}
	close(queue)

	tally := &fleetTally{}
	start := time.Now()
	var wg sync.WaitGroup
	for range 50 {
		w := &worker{f: f, tokens: f.tokens(t), led: f.ledger(t), tally: tally}
		wg.Go(func() {
			for b := range queue {
				if err := w.runBatch(ctx, b); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	calls := float64(tally.calls.Load())
	t.Logf("table calls per Zoho call: %.2f writes (%d puts, %d transactions, %d updates, %d deletes), %.2f reads",
		float64(f.db.writes()-writes0)/calls, f.db.puts.Load(), f.db.txs.Load(), f.db.updates.Load(), f.db.deletes.Load(),
		float64(f.db.gets.Load()+f.db.queries.Load()-reads0)/calls)

	st := f.sim.Stats()
	led, err := f.ledger(t).Status(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d records in %d batches, %v: %d calls, %d written, %d deferred; credits %d (sim %d, ledger %d of %d); "+
		"max in flight %d units, %d sub; 429s %v; token mints %d",
		records, len(batches), elapsed.Round(time.Millisecond), tally.calls.Load(), tally.written.Load(), tally.deferred.Load(),
		tally.credits.Load(), st.CreditsUsed, led.Used, f.lim.Budget, st.MaxInFlight, st.MaxSubInFlight, st.Refused, st.TokenMintsTotal)

	if st.MaxInFlight > fleetUnits || st.MaxSubInFlight > fleetSub {
		t.Errorf("simulator saw %d units and %d sub in flight, shares %d and %d", st.MaxInFlight, st.MaxSubInFlight, fleetUnits, fleetSub)
	}
	if st.CreditsUsed > int64(f.lim.Budget) || led.Used > f.lim.Budget {
		t.Errorf("credits used %d (ledger %d), budget %d", st.CreditsUsed, led.Used, f.lim.Budget)
	}
	if int64(led.Used) != st.CreditsUsed {
		t.Errorf("ledger counts %d credits, the simulator charged %d", led.Used, st.CreditsUsed)
	}
	for reason, n := range st.Refused {
		if n > 0 {
			t.Errorf("%d self-inflicted 429s (%s)", n, reason)
		}
	}
	if tally.deferred.Load() == 0 || tally.written.Load() == 0 {
		t.Errorf("written %d, deferred %d: want both (the budget covers part of the stream)", tally.written.Load(), tally.deferred.Load())
	}
	if st.TokenMintsTotal != 1 {
		t.Errorf("token mints = %d, want 1 (the connect)", st.TokenMintsTotal)
	}
}
