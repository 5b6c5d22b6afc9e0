package ledger

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
)

// inflight counts concurrency units in use by a fake Zoho call and keeps
// the maximum.
type inflight struct {
	mu       sync.Mutex
	now, max int
}

func (f *inflight) call(units int, d time.Duration) {
	f.mu.Lock()
	f.now += units
	f.max = max(f.max, f.now)
	f.mu.Unlock()
	time.Sleep(d)
	f.mu.Lock()
	f.now -= units
	f.mu.Unlock()
}

func TestWorkersNeverExceedTheShare(t *testing.T) {
	const share, workers, calls = 5, 50, 4
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: share, Sub: 2})
	var units, sub inflight
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for w := range workers {
		l := r.ledger(t, func(o *Options) { o.RetryAfter = 20 * time.Millisecond })
		wg.Go(func() {
			for c := range calls {
				u, s := 1, 0
				switch {
				case (w+c)%7 == 0:
					u = 5 // a composite
				case (w+c)%3 == 0:
					s = 1 // a write of more than 10 records
				}
				held, err := l.AcquireWait(ctx, "acme", u, s)
				if err != nil {
					t.Error(err)
					return
				}
				var done sync.WaitGroup
				done.Go(func() { units.call(u, 3*time.Millisecond) })
				if s > 0 {
					done.Go(func() { sub.call(s, 3*time.Millisecond) })
				}
				done.Wait()
				if err := held.Release(context.Background()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if units.max > share || sub.max > 2 {
		t.Fatalf("max in flight: %d units (share %d), %d sub (share 2)", units.max, share, sub.max)
	}
	if units.max < 2 {
		t.Errorf("max in flight %d: the test never overlapped calls", units.max)
	}
	t.Logf("max in flight: %d units, %d sub; acquire writes %d puts %d transactions, %d deletes",
		units.max, sub.max, r.db.puts.Load(), r.db.txs.Load(), r.db.deletes.Load())
}

func TestDeadHolderFreesAtLeaseEnd(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 5, Sub: 10})
	clk := newClock()
	ctx := context.Background()
	crashed := r.ledger(t, withClock(clk))
	if _, err := crashed.Acquire(ctx, "acme", 5, 0); err != nil { // never released
		t.Fatal(err)
	}
	other := r.ledger(t, withClock(clk))
	_, err := other.Acquire(ctx, "acme", 1, 0)
	if d := denial(t, err, "concurrency"); d.RetryAt.Sub(clk.Now()) > DefaultRetryAfter {
		t.Errorf("retry in %v, want at most %v", d.RetryAt.Sub(clk.Now()), DefaultRetryAfter)
	}
	clk.Advance(DefaultLease - time.Millisecond)
	if _, err := other.Acquire(ctx, "acme", 1, 0); err == nil {
		t.Fatal("took a slot before the dead holder's lease ended")
	}
	clk.Advance(time.Millisecond)
	held, err := other.Acquire(ctx, "acme", 5, 0)
	if err != nil {
		t.Fatalf("after the lease: %v", err)
	}
	if err := held.Release(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestDeadHolderWithRealClock(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 2, Sub: 10})
	short := func(o *Options) { o.Lease = 300 * time.Millisecond; o.RetryAfter = 20 * time.Millisecond }
	if _, err := r.ledger(t, short).Acquire(context.Background(), "acme", 2, 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	held, err := r.ledger(t, short).AcquireWait(ctx, "acme", 2, 0)
	if err != nil {
		t.Fatalf("AcquireWait: %v", err)
	}
	held.Release(ctx)
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("waited %v, less than the dead holder's lease", waited)
	}
}

func TestReleaseLeavesATakenOverSlotAlone(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 1, Sub: 10})
	clk := newClock()
	ctx := context.Background()
	slow := r.ledger(t, withClock(clk))
	late, err := slow.Acquire(ctx, "acme", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(DefaultLease)
	fast := r.ledger(t, withClock(clk))
	now, err := fast.Acquire(ctx, "acme", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := late.Release(ctx); err != nil { // the slow holder finishes late
		t.Fatal(err)
	}
	if _, err := r.ledger(t, withClock(clk)).Acquire(ctx, "acme", 1, 0); err == nil {
		t.Fatal("a late release freed the slot its new holder still holds")
	}
	now.Release(ctx)
	now.Release(ctx) // idempotent
}

func TestAcquireIsAllOrNothing(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 5, Sub: 1})
	ctx := context.Background()
	l := r.ledger(t, nil)
	one, err := l.Acquire(ctx, "acme", 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Four units are free but the sub slot is not: nothing may be taken.
	if _, err := l.Acquire(ctx, "acme", 1, 1); err == nil {
		t.Fatal("acquired a second sub slot of a share of 1")
	}
	all, err := l.Acquire(ctx, "acme", 4, 0)
	if err != nil {
		t.Fatalf("the failed acquire left units held: %v", err)
	}
	all.Release(ctx)
	one.Release(ctx)
	for _, tt := range []struct{ units, sub int }{{6, 0}, {1, 2}, {-1, 0}} {
		if _, err := l.Acquire(ctx, "acme", tt.units, tt.sub); !errors.Is(err, ErrExceedsLimit) {
			t.Errorf("Acquire(%d, %d) err = %v, want ErrExceedsLimit", tt.units, tt.sub, err)
		}
	}
	if _, err := l.Acquire(ctx, "nobody", 1, 0); !errors.Is(err, ErrUnknownOrg) {
		t.Errorf("unknown org err = %v", err)
	}
}

func TestAcquireRetriesTransactionConflicts(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 5, Sub: 10})
	ctx := context.Background()
	l := r.ledger(t, nil)
	conflict := &types.TransactionCanceledException{Message: aws.String("injected"),
		CancellationReasons: []types.CancellationReason{{Code: aws.String("None")}, {Code: aws.String("TransactionConflict")}}}
	r.db.inject("TransactWriteItems", failTimes(1, conflict))
	held, err := l.Acquire(ctx, "acme", 5, 0)
	if err != nil {
		t.Fatalf("acquire after a conflict: %v", err)
	}
	if got := r.db.txs.Load(); got != 2 {
		t.Errorf("transactions = %d, want 2", got)
	}
	held.Release(ctx)
	// Losing twice is a short denial; AcquireWait backs off and gets there.
	r.db.inject("TransactWriteItems", failTimes(2, conflict))
	_, err = l.Acquire(ctx, "acme", 5, 0)
	denial(t, err, "concurrency")
	r.db.inject("TransactWriteItems", failTimes(3, conflict))
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if held, err = l.AcquireWait(wctx, "acme", 5, 0); err != nil {
		t.Fatalf("AcquireWait after conflicts: %v", err)
	}
	// A conflict with a transaction in flight on a slot being released.
	r.db.inject("DeleteItem", failTimes(2, &types.TransactionConflictException{Message: aws.String("injected")}))
	if err := held.Release(ctx); err != nil {
		t.Fatalf("release after conflicts: %v", err)
	}
	again, err := l.Acquire(ctx, "acme", 5, 0)
	if err != nil {
		t.Fatalf("slots not freed: %v", err)
	}
	again.Release(ctx)

	r.db.inject("TransactWriteItems", failTimes(1000, &types.TransactionConflictException{Message: aws.String("injected")}))
	_, err = l.Acquire(ctx, "acme", 2, 0)
	denial(t, err, "concurrency")
	r.db.inject("TransactWriteItems", failTimes(1, &types.TransactionCanceledException{Message: aws.String("injected"),
		CancellationReasons: []types.CancellationReason{{Code: aws.String("ValidationError")}}}))
	if _, err := l.Acquire(ctx, "acme", 2, 0); err == nil || errors.As(err, new(*core.Denied)) {
		t.Errorf("err = %v, want a hard failure for a validation cancel", err)
	}
}

func TestWritesPerCall(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 10, Sub: 10})
	ctx := context.Background()
	l := r.ledger(t, nil)
	tests := []struct {
		name                   string
		units, sub             int
		puts, txs, deletes, rd int64
	}{
		{"one unit", 1, 0, 1, 0, 1, 2},
		{"batch over 10 records", 1, 1, 0, 1, 2, 2},
		{"composite", 5, 0, 0, 1, 5, 2},
	}
	for _, tt := range tests {
		p, x, d, g, q := r.db.puts.Load(), r.db.txs.Load(), r.db.deletes.Load(), r.db.gets.Load(), r.db.queries.Load()
		held, err := l.Acquire(ctx, "acme", tt.units, tt.sub)
		if err != nil {
			t.Fatal(err)
		}
		held.Release(ctx)
		got := []int64{r.db.puts.Load() - p, r.db.txs.Load() - x, r.db.deletes.Load() - d, r.db.gets.Load() - g + r.db.queries.Load() - q}
		want := []int64{tt.puts, tt.txs, tt.deletes, tt.rd}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: puts/txs/deletes/reads = %v, want %v", tt.name, got, want)
				break
			}
		}
	}
}

func TestTidyFreesDeadSlotsAndRollsTheWindow(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 5, Sub: 10})
	clk := newClock()
	ctx := context.Background()
	l := r.ledger(t, withClock(clk))
	mustReserve(t, l, 100)
	if err := l.CoolDown(ctx, "acme", clk.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	if _, err := l.Acquire(ctx, "acme", 3, 0); err != nil { // dies
		t.Fatal(err)
	}
	clk.Advance(DefaultLease)
	live, err := l.Acquire(ctx, "acme", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(25 * time.Hour)
	live2, err := l.Acquire(ctx, "acme", 1, 0) // keeps one slot alive
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Tidy(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	taken, _ := l.readSlots(ctx, "acme")
	if len(taken) != 1 {
		t.Errorf("slot items after tidy = %d, want 1 (the live one)", len(taken))
	}
	s, _ := l.read(ctx, "acme")
	if s.total != 0 || !s.cool.IsZero() {
		t.Errorf("after tidy: total %d cool %v, want 0 and none", s.total, s.cool)
	}
	live.Release(ctx)
	live2.Release(ctx)
}

func TestAcquireWaitGivesUpWithContext(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 1, Sub: 10})
	l := r.ledger(t, func(o *Options) { o.RetryAfter = 20 * time.Millisecond })
	held, err := l.Acquire(context.Background(), "acme", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = l.AcquireWait(ctx, "acme", 1, 0)
	var d *core.Denied
	if !errors.As(err, &d) {
		t.Fatalf("err = %v, want a Denied after the context ended", err)
	}
	// A cool-down past the deadline is not waited for.
	if err := l.CoolDown(context.Background(), "acme", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	start := time.Now()
	if _, err := l.AcquireWait(ctx2, "acme", 1, 0); !errors.As(err, &d) || d.Reason != "cool-down" {
		t.Fatalf("err = %v, want the cool-down denial", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("waited %v for a cool-down beyond the deadline", time.Since(start))
	}
}

var _ atomic.Int64
