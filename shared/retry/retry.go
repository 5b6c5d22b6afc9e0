// Package retry is zohosync's retry policy: exponential backoff with full
// jitter, SQS's 900-second delay ceiling, and when to give up. It is pure:
// the clock and the random source are arguments.
package retry

import (
	"math"
	"time"
)

// MaxSQSDelay is the longest DelaySeconds SQS accepts.
const MaxSQSDelay = 900 * time.Second

// Policy decides retry delays and when a record is dead-lettered instead.
// The zero value is not useful; start from Default.
type Policy struct {
	// Base is the first backoff ceiling; each attempt doubles it.
	Base time.Duration
	// Cap bounds any single backoff.
	Cap time.Duration
	// Floor is the least delay of a Zoho-side retry, so a jittered zero does
	// not hammer a struggling API.
	Floor time.Duration
	// MaxAttempts is how many Zoho-side failures a record may have before it
	// is dead-lettered.
	MaxAttempts int
	// MaxAge is how long after its first attempt a record may still be
	// retried (credit waits included).
	MaxAge time.Duration
}

// Default is the shipped policy: 2 s doubling to 15 min, 10 attempts, 3 days
// (Stripe's own retry horizon).
var Default = Policy{
	Base:        2 * time.Second,
	Cap:         15 * time.Minute,
	Floor:       1 * time.Second,
	MaxAttempts: 10,
	MaxAge:      72 * time.Hour,
}

// Backoff returns the delay before retry number attempt (1 for the first
// retry): uniform in [Floor, min(Cap, Base·2^(attempt-1))], "full jitter".
// rnd returns a value in [0, 1).
func (p Policy) Backoff(attempt int, rnd func() float64) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	ceil := float64(p.Base) * math.Pow(2, float64(attempt-1))
	if ceil > float64(p.Cap) || math.IsInf(ceil, 0) {
		ceil = float64(p.Cap)
	}
	d := time.Duration(rnd() * ceil)
	if d < p.Floor {
		d = p.Floor
	}
	return d
}

// Exhausted reports whether a record that has failed attempts times, first
// tried at first, must now be dead-lettered.
func (p Policy) Exhausted(attempts int, first, now time.Time) bool {
	if p.MaxAttempts > 0 && attempts >= p.MaxAttempts {
		return true
	}
	return p.MaxAge > 0 && !first.IsZero() && now.Sub(first) >= p.MaxAge
}

// Schedule turns a wanted wait into an SQS delay and, when the wait is longer
// than SQS allows, the time before which the message must be re-delayed
// ("hopping"). The delay is always within [0, MaxSQSDelay], so sending can
// never fail on it.
func Schedule(now time.Time, wait time.Duration) (delay time.Duration, notBefore *time.Time) {
	if wait <= 0 {
		return 0, nil
	}
	if wait <= MaxSQSDelay {
		return wait.Round(time.Second), nil
	}
	nb := now.Add(wait)
	return MaxSQSDelay, &nb
}

// Until returns the wait until t (zero when t is not in the future).
func Until(now, t time.Time) time.Duration {
	if d := t.Sub(now); d > 0 {
		return d
	}
	return 0
}
