package dynamo_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/dynamo"
)

func TestClaimLifecycle(t *testing.T) {
	ctx := context.Background()
	const lease = 30 * time.Second
	type step struct {
		name    string
		do      func(c *dynamo.Claims, src, id string) (core.ClaimState, error)
		advance time.Duration
		want    core.ClaimState
		wantErr error
	}
	claim := func(c *dynamo.Claims, src, id string) (core.ClaimState, error) { return c.Claim(ctx, src, id, lease) }
	complete := func(c *dynamo.Claims, src, id string) (core.ClaimState, error) {
		return core.ClaimDone, c.Complete(ctx, src, id)
	}
	release := func(c *dynamo.Claims, src, id string) (core.ClaimState, error) {
		return core.ClaimNew, c.Release(ctx, src, id)
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"new, busy, done", []step{
			{name: "first", do: claim, want: core.ClaimNew},
			{name: "second while held", do: claim, want: core.ClaimBusy},
			{name: "complete", do: complete, want: core.ClaimDone},
			{name: "after completion", do: claim, want: core.ClaimDone},
			{name: "long after lease", advance: time.Hour, do: claim, want: core.ClaimDone},
		}},
		{"crashed attempt is taken over", []step{
			{name: "first", do: claim, want: core.ClaimNew},
			{name: "lease still live", advance: lease - time.Second, do: claim, want: core.ClaimBusy},
			{name: "lease lapsed", advance: 2 * time.Second, do: claim, want: core.ClaimNew},
			{name: "new holder completes", do: complete, want: core.ClaimDone},
			{name: "then done", do: claim, want: core.ClaimDone},
		}},
		{"released claim is free at once", []step{
			{name: "first", do: claim, want: core.ClaimNew},
			{name: "release", do: release, want: core.ClaimNew},
			{name: "retry", do: claim, want: core.ClaimNew},
		}},
		{"completed claim expires after the TTL", []step{
			{name: "first", do: claim, want: core.ClaimNew},
			{name: "complete", do: complete, want: core.ClaimDone},
			{name: "within TTL", advance: dynamo.DefaultClaimTTL - time.Minute, do: claim, want: core.ClaimDone},
			{name: "past TTL", advance: 2 * time.Minute, do: claim, want: core.ClaimNew},
		}},
		{"nothing held", []step{
			{name: "complete unclaimed", do: complete, wantErr: dynamo.ErrNotHeld},
			{name: "release unclaimed", do: release, wantErr: dynamo.ErrNotHeld},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			c := mustTable(t, clk, dynamo.Options{}).Claims()
			src, id := uniq("stripe"), uniq("evt")
			for _, s := range tt.steps {
				clk.Advance(s.advance)
				got, err := s.do(c, src, id)
				if !errors.Is(err, s.wantErr) {
					t.Fatalf("%s: err = %v, want %v", s.name, err, s.wantErr)
				}
				if err == nil && got != s.want {
					t.Fatalf("%s: state = %v, want %v", s.name, got, s.want)
				}
			}
		})
	}
}

func TestClaimTakenOverHolderCannotFinish(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	c := mustTable(t, clk, dynamo.Options{}).Claims()
	src, id := uniq("shopify"), uniq("evt")
	old, st, err := c.ClaimLease(ctx, src, id, time.Second)
	if err != nil || st != core.ClaimNew {
		t.Fatalf("first claim = %v, %v; want new", st, err)
	}
	clk.Advance(2 * time.Second)
	cur, st, err := c.ClaimLease(ctx, src, id, time.Minute)
	if err != nil || st != core.ClaimNew {
		t.Fatalf("takeover = %v, %v; want new", st, err)
	}
	if err := c.CompleteLease(ctx, old); !errors.Is(err, dynamo.ErrNotHeld) {
		t.Errorf("old holder's Complete = %v, want ErrNotHeld", err)
	}
	if err := c.ReleaseLease(ctx, old); !errors.Is(err, dynamo.ErrNotHeld) {
		t.Errorf("old holder's Release = %v, want ErrNotHeld", err)
	}
	if _, st, _ := c.ClaimLease(ctx, src, id, time.Minute); st != core.ClaimBusy {
		t.Errorf("after the old holder's attempts: state %v, want busy (new holder unharmed)", st)
	}
	if err := c.CompleteLease(ctx, cur); err != nil {
		t.Fatalf("new holder's Complete: %v", err)
	}
	if err := c.ReleaseLease(ctx, cur); !errors.Is(err, dynamo.ErrNotHeld) {
		t.Errorf("Release after Complete = %v, want ErrNotHeld", err)
	}
	if _, st, _ := c.ClaimLease(ctx, src, id, time.Minute); st != core.ClaimDone {
		t.Errorf("final state %v, want done", st)
	}
}

func TestClaimRace(t *testing.T) {
	ctx := context.Background()
	c := mustTable(t, newClock(), dynamo.Options{}).Claims()
	src, id := uniq("typeform"), uniq("evt")
	const n = 50
	var wg sync.WaitGroup
	states := make([]core.ClaimState, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, states[i], errs[i] = c.ClaimLease(ctx, src, id, time.Minute)
		}()
	}
	close(start)
	wg.Wait()
	count := map[core.ClaimState]int{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("claim %d: %v", i, errs[i])
		}
		count[states[i]]++
	}
	if count[core.ClaimNew] != 1 || count[core.ClaimBusy] != n-1 {
		t.Errorf("got %d new, %d busy, %d done; want 1 new, %d busy", count[core.ClaimNew],
			count[core.ClaimBusy], count[core.ClaimDone], n-1)
	}
}

func TestClaimInvalid(t *testing.T) {
	ctx := context.Background()
	c := mustTable(t, newClock(), dynamo.Options{}).Claims()
	long := string(make([]byte, 2000))
	tests := []struct {
		name, src, id string
		lease         time.Duration
	}{
		{"empty source", "", "e1", time.Second},
		{"empty event id", "s", "", time.Second},
		{"huge event id", "s", long, time.Second},
		{"zero lease", "s", "e1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Claim(ctx, tt.src, tt.id, tt.lease)
			if !errors.Is(err, dynamo.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

// flaky fails the next n UpdateItem calls, then passes them through.
type flaky struct {
	dynamo.API
	mu sync.Mutex
	n  int
}

var errFlaky = errors.New("connection reset")

func (f *flaky) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	f.mu.Lock()
	fail := f.n > 0
	f.n--
	f.mu.Unlock()
	if fail {
		return nil, errFlaky
	}
	return f.API.UpdateItem(ctx, in, opts...)
}

func TestClaimCompleteRetriesAfterTransientError(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	mustTable(t, clk, dynamo.Options{}) // provisions the shared table
	api := &flaky{API: emutest.Dynamo(t), n: 1}
	tb, err := dynamo.New(api, tableName, dynamo.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	c := tb.Claims()
	src, id := uniq("stripe"), uniq("evt")
	if st, err := c.Claim(ctx, src, id, time.Minute); err != nil || st != core.ClaimNew {
		t.Fatalf("Claim = %v, %v", st, err)
	}
	err = c.Complete(ctx, src, id)
	if !errors.Is(err, errFlaky) || errors.Is(err, dynamo.ErrNotHeld) {
		t.Fatalf("Complete over a failing network: err = %v, want the transport error, not ErrNotHeld", err)
	}
	if err := c.Complete(ctx, src, id); err != nil {
		t.Fatalf("retried Complete: %v", err)
	}
	if st, _ := c.Claim(ctx, src, id, time.Minute); st != core.ClaimDone {
		t.Errorf("state %v after the retried Complete, want done", st)
	}
}
