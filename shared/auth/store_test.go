package auth

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
)

// withClock makes every Store of a test share one injectable clock.
func withClock(c *clock) func(*Options) {
	return func(o *Options) { o.Now = c.Now }
}

func TestFleetRefreshMintsOnce(t *testing.T) {
	r := newSimRig(t, zohosim.Config{})
	clk := newClock()
	r.connect(t, r.store(t, withClock(clk)))
	clk.Advance(56 * time.Minute) // inside the 5-minute margin
	before := r.mints()

	const workers = 50
	toks := make([]core.Token, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		s := r.store(t, withClock(clk)) // one Store per simulated container
		wg.Go(func() { toks[i], errs[i] = s.Token(context.Background(), "acme") })
	}
	wg.Wait()
	for i := range workers {
		if errs[i] != nil {
			t.Fatalf("worker %d: %v", i, errs[i])
		}
		if toks[i] != toks[0] {
			t.Fatalf("worker %d got %+v, worker 0 got %+v", i, toks[i], toks[0])
		}
	}
	if got := r.mints() - before; got != 1 {
		t.Errorf("mints = %d, want 1", got)
	}
	if toks[0].APIDomain != r.srv.APIURL("eu") || !toks[0].Expiry.After(clk.Now().Add(55*time.Minute)) {
		t.Errorf("token = %+v, want the eu API domain and an hour of life", toks[0])
	}
	if got := r.insertLead(t, toks[0].Access, toks[0].APIDomain); got != http.StatusCreated {
		t.Errorf("insert with the new token: status %d, want 201", got)
	}
}

func TestSameContainerGoroutinesShareOneRefresh(t *testing.T) {
	r := newSimRig(t, zohosim.Config{})
	clk := newClock()
	db := &countingDB{DB: r.db}
	r.db = db
	s := r.store(t, withClock(clk))
	r.connect(t, s)
	clk.Advance(59 * time.Minute)
	before := r.mints()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := s.Token(context.Background(), "acme"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := r.mints() - before; got != 1 {
		t.Errorf("mints = %d, want 1", got)
	}
	if got := db.gets.Load(); got != 1 {
		t.Errorf("table reads = %d, want 1 (the others wait in-process)", got)
	}
}

func TestWarmTokenCostsNoIO(t *testing.T) {
	r := newSimRig(t, zohosim.Config{})
	db := &countingDB{DB: r.db}
	r.db = db
	s := r.store(t, nil)
	r.connect(t, s)
	first, err := s.Token(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	gets, updates, calls := db.gets.Load(), db.updates.Load(), r.tokenCalls()
	for range 100 {
		tok, err := s.Token(context.Background(), "acme")
		if err != nil || tok != first {
			t.Fatalf("got %+v, %v", tok, err)
		}
	}
	if db.gets.Load() != gets || db.updates.Load() != updates || r.tokenCalls() != calls {
		t.Errorf("warm Token did I/O: gets %d→%d updates %d→%d endpoint %d→%d",
			gets, db.gets.Load(), updates, db.updates.Load(), calls, r.tokenCalls())
	}
}

func TestInvalidateRefreshesExactlyOnce(t *testing.T) {
	r := newSimRig(t, zohosim.Config{})
	s := r.store(t, nil)
	r.connect(t, s)
	ctx := context.Background()
	old, err := s.Token(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	// Zoho kills the token (as the 16th mint of another tool would).
	r.sim.InvalidateAllTokens()
	if got := r.insertLead(t, old.Access, old.APIDomain); got != http.StatusUnauthorized {
		t.Fatalf("insert with a killed token: status %d, want 401", got)
	}
	before := r.mints()

	// Twenty containers all got a 401 with the same token.
	const workers = 20
	var wg sync.WaitGroup
	toks := make([]core.Token, workers)
	for i := range workers {
		w := r.store(t, nil)
		if _, err := w.Token(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			if err := w.Invalidate(ctx, "acme", old.Access); err != nil {
				t.Error(err)
			}
			var err error
			if toks[i], err = w.Token(ctx, "acme"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := r.mints() - before; got != 1 {
		t.Fatalf("mints after invalidations = %d, want 1", got)
	}
	fresh := toks[0]
	for i, tok := range toks {
		if tok.Access != fresh.Access || tok.Access == old.Access {
			t.Fatalf("worker %d got a token other than the one new token", i)
		}
	}
	if got := r.insertLead(t, fresh.Access, fresh.APIDomain); got != http.StatusCreated {
		t.Fatalf("insert with the new token: status %d, want 201", got)
	}

	// A late 401 for the old token must leave the new one alone.
	late := r.store(t, nil)
	if err := late.Invalidate(ctx, "acme", old.Access); err != nil {
		t.Fatal(err)
	}
	got, err := r.store(t, nil).Token(ctx, "acme")
	if err != nil || got.Access != fresh.Access {
		t.Fatalf("after a stale invalidate: err %v, same token %v; want the new token", err, got.Access == fresh.Access)
	}
	if n := r.mints() - before; n != 1 {
		t.Errorf("mints = %d, want still 1", n)
	}
}

func TestMintCapHoldsUnderInvalidationBurst(t *testing.T) {
	r := newSimRig(t, zohosim.Config{})
	clk := newClock()
	r.connect(t, r.store(t, withClock(clk))) // the connect is mint 1 of the window
	connectedAt := clk.Now()
	ctx := context.Background()

	// Ten containers each keep getting 401s and invalidating.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var limits []*MintLimitError
	for range 10 {
		s := r.store(t, withClock(clk))
		wg.Go(func() {
			for range 6 {
				tok, err := s.Token(ctx, "acme")
				var ml *MintLimitError
				if errors.As(err, &ml) {
					mu.Lock()
					limits = append(limits, ml)
					mu.Unlock()
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				if err := s.Invalidate(ctx, "acme", tok.Access); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if got := r.mints(); got != DefaultMintLimit {
		t.Fatalf("mints in the window = %d, want exactly the cap %d", got, DefaultMintLimit)
	}
	if denied := r.sim.Stats().Calls["token"][400]; denied != 0 {
		t.Fatalf("Zoho answered Access Denied %d times", denied)
	}
	if len(limits) == 0 {
		t.Fatal("no MintLimitError under the burst")
	}
	for _, ml := range limits {
		if ml.Zoho || !ml.NextAt.Equal(connectedAt.Add(DefaultMintWindow)) {
			t.Fatalf("limit = %+v, want ours with next mint at %v", ml, connectedAt.Add(DefaultMintWindow))
		}
	}
	clk.Advance(DefaultMintWindow)
	if _, err := r.store(t, withClock(clk)).Token(ctx, "acme"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	if got := r.mints(); got != DefaultMintLimit+1 {
		t.Errorf("mints = %d, want %d", got, DefaultMintLimit+1)
	}
}

func TestInvalidCodeStoresReauthorize(t *testing.T) {
	r := newSimRig(t, zohosim.Config{})
	s := r.store(t, nil)
	r.connect(t, s)
	var metrics bytes.Buffer
	rec := obs.NewRecorder(&metrics)
	ctx := obs.WithRecorder(context.Background(), rec)
	tok, _ := s.Token(ctx, "acme")
	it, _ := s.load(ctx, "acme")
	r.revoke(t, s) // Zoho now answers invalid_code for this refresh token
	if err := s.Invalidate(ctx, "acme", tok.Access); err != nil {
		t.Fatal(err)
	}
	calls := r.tokenCalls()
	_, err := s.Token(ctx, "acme")
	if !errors.Is(err, ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
	if strings.Contains(err.Error(), it.Refresh) || strings.Contains(err.Error(), r.secret) {
		t.Errorf("error text leaks a secret: %v", err)
	}
	if got := r.tokenCalls() - calls; got != 1 {
		t.Errorf("endpoint calls = %d, want 1", got)
	}
	rec.Flush()
	if !strings.Contains(metrics.String(), `"ReauthorizationNeeded":1`) {
		t.Errorf("metrics %s lack ReauthorizationNeeded", metrics.String())
	}

	// Later calls, from any container, fail fast without calling Zoho.
	for range 5 {
		if _, err := r.store(t, nil).Token(ctx, "acme"); !errors.Is(err, ErrReauthorize) {
			t.Fatalf("err = %v, want ErrReauthorize", err)
		}
	}
	if got := r.tokenCalls() - calls; got != 1 {
		t.Errorf("endpoint calls = %d, want still 1", got)
	}
	st, _ := s.Status(ctx, "acme")
	if st.Reauth != "invalid_code" {
		t.Errorf("status reauth = %q, want invalid_code", st.Reauth)
	}

	// The scheduled refresh tries once per run.
	if err := s.Refresh(ctx, "acme", time.Minute); !errors.Is(err, ErrReauthorize) {
		t.Fatalf("scheduled refresh err = %v, want ErrReauthorize", err)
	}
	if got := r.tokenCalls() - calls; got != 2 {
		t.Errorf("endpoint calls = %d, want 2", got)
	}

	// A new connect clears the state.
	r.connect(t, s)
	if _, err := r.store(t, nil).Token(ctx, "acme"); err != nil {
		t.Fatalf("after connect: %v", err)
	}
}

func TestAccessDeniedHoldsMinting(t *testing.T) {
	// Another tool already used Zoho's window: the simulator allows only
	// the connect's mint, so zohosync's own count cannot see it coming.
	simClock := newClock()
	r := newSimRig(t, zohosim.Config{MintLimit: 1, Clock: simClock.Now})
	clk := newClock()
	s := r.store(t, withClock(clk))
	r.connect(t, s)
	clk.Advance(61 * time.Minute)
	calls := r.tokenCalls()
	_, err := s.Token(context.Background(), "acme")
	var ml *MintLimitError
	if !errors.As(err, &ml) || !ml.Zoho || !ml.NextAt.Equal(clk.Now().Add(DefaultDeniedHold)) {
		t.Fatalf("err = %v, want Zoho MintLimitError until %v", err, clk.Now().Add(DefaultDeniedHold))
	}
	if _, err := r.store(t, withClock(clk)).Token(context.Background(), "acme"); !errors.As(err, &ml) {
		t.Fatalf("second call err = %v, want MintLimitError", err)
	}
	if got := r.tokenCalls() - calls; got != 1 {
		t.Errorf("endpoint calls = %d, want 1", got)
	}
	simClock.Advance(10 * time.Minute) // Zoho's window has moved on
	clk.Advance(DefaultDeniedHold)
	if _, err := s.Token(context.Background(), "acme"); err != nil {
		t.Fatalf("after the hold: %v", err)
	}
}

func TestExpiredLeaseIsTakenOver(t *testing.T) {
	r := newSimRig(t, zohosim.Config{})
	clk := newClock()
	s := r.store(t, withClock(clk))
	r.connect(t, s)
	clk.Advance(time.Hour)
	// A worker takes the lease and dies.
	it, err := s.load(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if held, err := s.takeLease(context.Background(), "acme", it, "dead-worker", clk.Now()); err != nil || held.LeaseOwner != "dead-worker" {
		t.Fatalf("take lease: %+v %v", held, err)
	}
	waiter := r.store(t, func(o *Options) { o.Now = clk.Now; o.MaxWait = 150 * time.Millisecond })
	if _, err := waiter.Token(context.Background(), "acme"); !errors.Is(err, ErrRefreshBusy) {
		t.Fatalf("err = %v, want ErrRefreshBusy while the lease lives", err)
	}
	before := r.mints()
	clk.Advance(DefaultLease)
	tok, err := waiter.Token(context.Background(), "acme")
	if err != nil || tok.Access == "" {
		t.Fatalf("after lease expiry: %+v %v", tok, err)
	}
	if got := r.mints() - before; got != 1 {
		t.Errorf("mints = %d, want 1", got)
	}
}

func TestLostLeaseStillCountsTheMint(t *testing.T) {
	f := newFakeAccounts(t)
	r := newRig(t, f.URL(), Client{ID: f.id, Secret: f.secret})
	s := r.store(t, nil)
	mustConnect(t, s, f)
	ctx := context.Background()
	it, _ := s.load(ctx, "acme")
	stale := *it
	stale.Fence-- // another worker took the lease over meanwhile
	tok, err := s.storeGrant(ctx, "acme", &stale, "slow-worker", time.Now(), grant{Access: "late", Lifetime: time.Hour})
	if err != nil || tok.Access != "late" {
		t.Fatalf("storeGrant = %+v, %v", tok, err)
	}
	after, _ := s.load(ctx, "acme")
	if after.Access == "late" {
		t.Error("a refresher without the lease overwrote the stored token")
	}
	if len(after.Mints) != len(it.Mints)+1 {
		t.Errorf("mints = %d, want %d", len(after.Mints), len(it.Mints)+1)
	}
}

func TestConnectRecordsDataCenter(t *testing.T) {
	f := newFakeAccounts(t)
	r := newRig(t, f.URL(), Client{ID: f.id, Secret: f.secret})
	s := r.store(t, nil)
	ctx := context.Background()
	if st, err := s.Status(ctx, "acme"); err != nil || st.Connected {
		t.Fatalf("status before connect = %+v %v", st, err)
	}
	if _, err := s.Token(ctx, "acme"); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("token before connect err = %v, want ErrNotConnected", err)
	}
	// Asked for us, but Zoho's api_domain says eu: the token's host wins.
	c, err := s.Connect(ctx, "acme", "us", "grant-code", f.id, f.secret)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataCenter != "eu" || c.APIDomain != "https://www.zohoapis.eu" || c.AccountsURL != f.URL() {
		t.Errorf("connection = %+v", c)
	}
	st, err := s.Status(ctx, "acme")
	if err != nil || st.DataCenter != "eu" || st.ClientID != f.id || st.RecentMints != 1 {
		t.Errorf("status = %+v %v", st, err)
	}
	if _, err := s.Connect(ctx, "acme", "us", "used-code", f.id, f.secret); err == nil {
		t.Error("connect with a bad grant code succeeded")
	}
	if _, err := s.Connect(ctx, "other", "mars", "grant-code", f.id, f.secret); err == nil {
		t.Error("connect to an unknown data centre succeeded")
	}
}

func TestScheduledRefreshRenewsBeforeTheHotPath(t *testing.T) {
	r := newSimRig(t, zohosim.Config{})
	clk := newClock()
	s := r.store(t, withClock(clk))
	r.connect(t, s)
	tidy := &fakeTidier{}
	var metrics bytes.Buffer
	h := &Scheduled{Tokens: s, Ledger: tidy, Orgs: []string{"acme", "ghost"},
		Metrics: func() *obs.Recorder { return obs.NewRecorder(&metrics) }}
	before := r.mints()
	if err := h.Handle(context.Background(), scheduledEvent(t)); err != nil {
		t.Fatal(err)
	}
	if r.mints() != before {
		t.Errorf("a fresh token was renewed")
	}
	clk.Advance(45 * time.Minute) // 15 min left: inside the 20-minute window
	if err := h.Handle(context.Background(), scheduledEvent(t)); err != nil {
		t.Fatal(err)
	}
	if got := r.mints() - before; got != 1 {
		t.Errorf("mints = %d, want 1", got)
	}
	if strings.Join(tidy.orgs, ",") != "acme,ghost,acme,ghost" {
		t.Errorf("tidied %v", tidy.orgs)
	}
	for _, m := range []string{`"TokenAge"`, `"TokenMintsRecent"`, `"TokenMints"`} {
		if !strings.Contains(metrics.String(), m) {
			t.Errorf("metrics lack %s:\n%s", m, metrics.String())
		}
	}
	// The hot path now finds a token with ~an hour left, without minting.
	clk.Advance(10 * time.Minute)
	if _, err := r.store(t, withClock(clk)).Token(context.Background(), "acme"); err != nil {
		t.Fatal(err)
	}
	if got := r.mints() - before; got != 1 {
		t.Errorf("mints = %d, want still 1", got)
	}
}

type fakeTidier struct {
	mu   sync.Mutex
	orgs []string
}

func (f *fakeTidier) Tidy(_ context.Context, org string) error {
	f.mu.Lock()
	f.orgs = append(f.orgs, org)
	f.mu.Unlock()
	return nil
}
