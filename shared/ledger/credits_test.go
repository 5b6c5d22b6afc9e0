package ledger

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
)

func mustReserve(t testing.TB, l *Ledger, credits int) core.Reservation {
	t.Helper()
	r, err := l.Reserve(context.Background(), "acme", credits)
	if err != nil {
		t.Fatalf("reserve %d: %v", credits, err)
	}
	return r
}

func denial(t testing.TB, err error, reason string) *core.Denied {
	t.Helper()
	var d *core.Denied
	if !errors.As(err, &d) || d.Reason != reason {
		t.Fatalf("err = %v, want a %q denial", err, reason)
	}
	return d
}

func TestConcurrentReserversNeverExceedBudget(t *testing.T) {
	const budget, each, workers = 1000, 7, 50
	r := newRig(t, Limits{Budget: budget, Share: 1, Concurrency: 5, Sub: 10})
	clk := newClock()
	var granted atomic.Int64
	var wg sync.WaitGroup
	denials := make(chan *core.Denied, workers)
	for range workers {
		l := r.ledger(t, withClock(clk)) // one Ledger per simulated container
		wg.Go(func() {
			for {
				_, err := l.Reserve(context.Background(), "acme", each)
				var d *core.Denied
				switch {
				case err == nil:
					granted.Add(each)
				case errors.As(err, &d) && d.Reason == "contention":
					continue
				case errors.As(err, &d):
					denials <- d
					return
				default:
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(denials)
	if g := granted.Load(); g > budget || budget-g >= each {
		t.Fatalf("granted %d credits, want the most multiples of %d within %d", g, each, budget)
	}
	freeAt := newRing(DefaultBucket).freedAt(newRing(DefaultBucket).bucket(clk.Now()))
	for d := range denials {
		if d.Reason != "credits" || !d.RetryAt.Equal(freeAt) {
			t.Fatalf("denial %+v, want credits until %v", d, freeAt)
		}
	}
	st, err := r.ledger(t, withClock(clk)).Status(context.Background(), "acme")
	if err != nil || int64(st.Used) != granted.Load() {
		t.Errorf("stored use %d (%v), granted %d", st.Used, err, granted.Load())
	}
}

func TestWarmReserveIsOneWrite(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 5, Sub: 10})
	l := r.ledger(t, nil)
	mustReserve(t, l, 1) // first use: read and create the item
	gets, writes := r.db.gets.Load(), r.db.writes()
	const n = 20
	for range n {
		res := mustReserve(t, l, 3)
		if err := res.Settle(context.Background(), 3, -1); err != nil {
			t.Fatal(err)
		}
	}
	if got := r.db.gets.Load() - gets; got != 0 {
		t.Errorf("reads = %d, want 0 on the warm path", got)
	}
	if got := r.db.writes() - writes; got > n+1 { // +1: a bucket may roll mid-test
		t.Errorf("writes for %d reserve+settle = %d, want %d", n, got, n)
	}
	t.Logf("writes per reservation (settled exactly): %.2f", float64(r.db.writes()-writes)/n)
}

func TestSettleRefundsAndCharges(t *testing.T) {
	r := newRig(t, Limits{Budget: 100, Share: 1, Concurrency: 5, Sub: 10})
	l := r.ledger(t, nil)
	ctx := context.Background()
	res := mustReserve(t, l, 60)
	if _, err := l.Reserve(ctx, "acme", 50); err == nil {
		t.Fatal("reserved past the budget")
	}
	if err := res.Settle(ctx, 20, -1); err != nil {
		t.Fatal(err)
	}
	if err := res.Settle(ctx, 20, -1); !errors.Is(err, ErrSettled) {
		t.Errorf("second settle err = %v, want ErrSettled", err)
	}
	res2 := mustReserve(t, l, 50)                    // 20 + 50 = 70
	if err := res2.Settle(ctx, 55, -1); err != nil { // spent more than reserved
		t.Fatal(err)
	}
	st, _ := l.Status(ctx, "acme")
	if st.Used != 75 {
		t.Errorf("used = %d, want 75", st.Used)
	}
	if _, err := l.Reserve(ctx, "acme", 26); err == nil {
		t.Error("reserved past the budget after an overspend")
	}
	mustReserve(t, l, 25)
	if _, err := l.Reserve(ctx, "acme", 101); !errors.Is(err, ErrExceedsLimit) {
		t.Errorf("reserve above the budget err = %v, want ErrExceedsLimit", err)
	}
}

func TestWindowRolls(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 5, Sub: 10})
	clk := newClock()
	l := r.ledger(t, withClock(clk))
	rg := newRing(DefaultBucket)
	first := rg.bucket(clk.Now())
	mustReserve(t, l, 300)
	clk.Advance(time.Hour)
	second := rg.bucket(clk.Now())
	mustReserve(t, l, 300)
	clk.Advance(time.Hour)
	mustReserve(t, l, 400)

	_, err := l.Reserve(context.Background(), "acme", 500)
	d := denial(t, err, "credits")
	if !d.RetryAt.Equal(rg.freedAt(second)) {
		t.Fatalf("retry at %v, want %v (when the first two buckets have left)", d.RetryAt, rg.freedAt(second))
	}
	if !d.RetryAt.After(time.UnixMilli(second * rg.ms).Add(24 * time.Hour)) {
		t.Fatal("retry time before Zoho frees the credits")
	}
	// Another container, another moment: the first bucket frees 300 only.
	clk.Advance(rg.freedAt(first).Sub(clk.Now()))
	l2 := r.ledger(t, withClock(clk))
	if _, err := l2.Reserve(context.Background(), "acme", 500); err == nil {
		t.Fatal("granted 500 with only 300 freed")
	}
	mustReserve(t, l2, 300)
	clk.Advance(rg.freedAt(second).Sub(clk.Now()) - time.Millisecond)
	denial(t, func() error { _, err := l.Reserve(context.Background(), "acme", 300); return err }(), "credits")
	clk.Advance(time.Millisecond)
	mustReserve(t, l, 300)
}

func TestCoolDownDeniesEveryone(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 5, Sub: 10})
	clk := newClock()
	a, b := r.ledger(t, withClock(clk)), r.ledger(t, withClock(clk))
	ctx := context.Background()
	mustReserve(t, b, 1) // b has a cached view from before the cool-down
	until := clk.Now().Add(30 * time.Second)
	if err := a.CoolDown(ctx, "acme", until); err != nil {
		t.Fatal(err)
	}
	if err := a.CoolDown(ctx, "acme", until.Add(-10*time.Second)); err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string]*Ledger{"a": a, "b": b, "new": r.ledger(t, withClock(clk))} {
		_, err := l.Reserve(ctx, "acme", 1)
		if d := denial(t, err, "cool-down"); !d.RetryAt.Equal(until) {
			t.Errorf("%s: reserve retry at %v, want %v", name, d.RetryAt, until)
		}
		_, err = l.Acquire(ctx, "acme", 1, 0)
		if d := denial(t, err, "cool-down"); !d.RetryAt.Equal(until) {
			t.Errorf("%s: acquire retry at %v, want %v", name, d.RetryAt, until)
		}
	}
	clk.Advance(30 * time.Second)
	mustReserve(t, b, 1)
	s, err := b.Acquire(ctx, "acme", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Release(ctx)
}

func TestSettleReconcilesWithZoho(t *testing.T) {
	// Budget 1000 is half of an org whose daily credits are 2000.
	r := newRig(t, Limits{Budget: 1000, Share: 0.5, Concurrency: 5, Sub: 10})
	l := r.ledger(t, func(o *Options) { o.ReconcileStep = 1 })
	ctx := context.Background()
	res := mustReserve(t, l, 100)
	writes := r.db.writes()
	if err := res.Settle(ctx, 100, 1900); err != nil { // nobody else spends
		t.Fatal(err)
	}
	if r.db.writes() != writes {
		t.Error("settle wrote although nothing changed")
	}
	res = mustReserve(t, l, 10)
	if err := res.Settle(ctx, 10, 890); err != nil { // others spent 1000
		t.Fatal(err)
	}
	st, _ := l.Status(ctx, "acme")
	// own 110, headroom 890, half of 890 remaining = 445: infer 445.
	if st.Inferred != 445 || st.Used != 555 || st.ZohoRemaining != 890 {
		t.Fatalf("status = %+v, want inferred 445, used 555", st)
	}
	if _, err := l.Reserve(ctx, "acme", 446); err == nil {
		t.Fatal("reserved more than our share of what Zoho says remains")
	}
	res = mustReserve(t, l, 445)
	// Other apps' usage aged out: Zoho reports plenty again.
	if err := res.Settle(ctx, 445, 1445); err != nil {
		t.Fatal(err)
	}
	st, _ = l.Status(ctx, "acme")
	if st.Inferred != 0 || st.Used != 555 {
		t.Errorf("status = %+v, want inferred 0, used 555", st)
	}
}

func TestReserveSurvivesInjectedConflicts(t *testing.T) {
	r := newRig(t, Limits{Budget: 1000, Share: 1, Concurrency: 5, Sub: 10})
	clk := newClock()
	l := r.ledger(t, withClock(clk))
	mustReserve(t, l, 10)
	// A condition failure that returns no item (as when the item vanished):
	// the ledger must re-read and still charge exactly once.
	r.db.inject("UpdateItem", failTimes(2, &types.ConditionalCheckFailedException{Message: strPtr("injected")}))
	mustReserve(t, l, 10)
	// The roll at a bucket boundary loses its optimistic write twice.
	clk.Advance(DefaultBucket)
	r.db.inject("UpdateItem", nil)
	r.db.inject("PutItem", failTimes(2, &types.ConditionalCheckFailedException{Message: strPtr("injected")}))
	mustReserve(t, l, 10)
	st, _ := l.Status(context.Background(), "acme")
	if st.Used != 30 {
		t.Errorf("used = %d, want 30", st.Used)
	}
	// Losing every race ends in a short contention denial, not an error.
	r.db.inject("UpdateItem", failTimes(1000, &types.ConditionalCheckFailedException{Message: strPtr("injected")}))
	r.db.inject("PutItem", failTimes(1000, &types.ConditionalCheckFailedException{Message: strPtr("injected")}))
	_, err := l.Reserve(context.Background(), "acme", 10)
	if d := denial(t, err, "contention"); d.RetryAt.Sub(clk.Now()) > DefaultRetryAfter {
		t.Errorf("contention retry in %v, want at most %v", d.RetryAt.Sub(clk.Now()), DefaultRetryAfter)
	}
	r.db.inject("UpdateItem", failTimes(1, errors.New("network down")))
	r.db.inject("PutItem", nil)
	if _, err := l.Reserve(context.Background(), "acme", 10); err == nil || errors.As(err, new(*core.Denied)) {
		t.Errorf("err = %v, want the DB failure", err)
	}
}

func strPtr(s string) *string { return &s }
