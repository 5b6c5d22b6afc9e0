package retry

import (
	"testing"
	"time"
)

func TestBackoffFullJitterWithinBounds(t *testing.T) {
	p := Default
	for attempt := 1; attempt <= 40; attempt++ {
		ceil := p.Base << (attempt - 1)
		if attempt > 20 || ceil > p.Cap || ceil <= 0 {
			ceil = p.Cap
		}
		if got := p.Backoff(attempt, func() float64 { return 0.999999 }); got > ceil || got < ceil*99/100 {
			t.Errorf("attempt %d: max backoff %v, want about %v", attempt, got, ceil)
		}
		if got := p.Backoff(attempt, func() float64 { return 0 }); got != p.Floor {
			t.Errorf("attempt %d: min backoff %v, want floor %v", attempt, got, p.Floor)
		}
	}
}

func TestBackoffHalfway(t *testing.T) {
	p := Policy{Base: 2 * time.Second, Cap: time.Hour}
	if got, want := p.Backoff(3, func() float64 { return 0.5 }), 4*time.Second; got != want {
		t.Errorf("Backoff(3, 0.5) = %v, want %v", got, want)
	}
}

func TestSchedule(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		wait      time.Duration
		wantDelay time.Duration
		wantNB    bool
	}{
		{-time.Second, 0, false},
		{0, 0, false},
		{1500 * time.Millisecond, 2 * time.Second, false},
		{900 * time.Second, 900 * time.Second, false},
		{901 * time.Second, 900 * time.Second, true},
		{7 * time.Hour, 900 * time.Second, true},
	}
	for _, c := range cases {
		d, nb := Schedule(now, c.wait)
		if d != c.wantDelay || (nb != nil) != c.wantNB {
			t.Errorf("Schedule(%v) = %v, %v; want %v, notBefore=%v", c.wait, d, nb, c.wantDelay, c.wantNB)
		}
		if d < 0 || d > MaxSQSDelay {
			t.Errorf("Schedule(%v) delay %v outside SQS range", c.wait, d)
		}
		if nb != nil && !nb.Equal(now.Add(c.wait)) {
			t.Errorf("Schedule(%v) notBefore = %v, want %v", c.wait, nb, now.Add(c.wait))
		}
	}
}

func TestExhausted(t *testing.T) {
	p := Policy{MaxAttempts: 3, MaxAge: time.Hour}
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		attempts int
		age      time.Duration
		want     bool
	}{
		{0, 0, false}, {2, 59 * time.Minute, false}, {3, 0, true}, {1, time.Hour, true},
	}
	for _, c := range cases {
		if got := p.Exhausted(c.attempts, first, first.Add(c.age)); got != c.want {
			t.Errorf("Exhausted(%d, age %v) = %v, want %v", c.attempts, c.age, got, c.want)
		}
	}
}
