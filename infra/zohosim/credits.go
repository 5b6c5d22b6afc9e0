package zohosim

import (
	"sync"
	"time"
)

// creditWindow is the rolling window of the daily allowance: credits spent
// at T free up at T+24h (docs/ZOHO.md §4).
const creditWindow = 24 * time.Hour

type spend struct {
	at time.Time
	n  int64
}

// ledger counts credits in the rolling window. base is the allowance
// without add-ons (it sets the 50% mark for X-API-CREDITS-REMAINING), total
// includes add-ons.
type ledger struct {
	mu      sync.Mutex
	base    int64
	total   int64
	entries []spend
	used    int64
	spent   int64 // since the last reset, regardless of the window
}

func newLedger(base, total int64) *ledger { return &ledger{base: base, total: total} }

func (l *ledger) pruneLocked(now time.Time) {
	i := 0
	for i < len(l.entries) && !now.Before(l.entries[i].at.Add(creditWindow)) {
		l.used -= l.entries[i].n
		i++
	}
	if i > 0 {
		l.entries = append(l.entries[:0], l.entries[i:]...)
	}
}

// reserve takes cost credits if that many remain. A call is refused when its
// cost exceeds what remains (Zoho's exact boundary is UNCONFIRMED).
func (l *ledger) reserve(now time.Time, cost int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pruneLocked(now)
	if l.used+cost > l.total {
		return false
	}
	l.addLocked(now, cost)
	return true
}

// adjust adds delta credits (negative to refund part of a reservation).
func (l *ledger) adjust(now time.Time, delta int64) {
	if delta == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addLocked(now, delta)
}

func (l *ledger) addLocked(now time.Time, n int64) {
	if k := len(l.entries); k > 0 && l.entries[k-1].at.Equal(now) {
		l.entries[k-1].n += n
	} else {
		l.entries = append(l.entries, spend{at: now, n: n})
	}
	l.used += n
	l.spent += n
}

// remainingHeader returns the X-API-CREDITS-REMAINING value once at least
// half of the allowance without add-ons is used.
func (l *ledger) remainingHeader(now time.Time) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pruneLocked(now)
	if 2*l.used < l.base {
		return 0, false
	}
	return max(l.total-l.used, 0), true
}

// snapshot returns used, remaining, total and all-time spent credits.
func (l *ledger) snapshot(now time.Time) (used, remaining, total, spent int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pruneLocked(now)
	return l.used, max(l.total-l.used, 0), l.total, l.spent
}

func (l *ledger) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries, l.used, l.spent = nil, 0, 0
}

// writeCost is 1 credit per 10 records, rounded up (docs/ZOHO.md §4).
func writeCost(records int) int64 { return int64((records + 9) / 10) }
