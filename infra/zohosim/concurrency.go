package zohosim

import "sync"

// limiter enforces the in-flight limit per key (the org, or the OAuth client
// with ConcurrencyKey "client") and the shared sub-concurrency limit for
// complex calls. Excess calls are refused at once, never queued.
type limiter struct {
	mu       sync.Mutex
	limit    int
	subLimit int
	inflight map[string]int
	sub      map[string]int
	maxSeen  int
	maxSub   int
	refused  map[string]int // reason -> count
}

func newLimiter(limit, subLimit int) *limiter {
	return &limiter{limit: limit, subLimit: subLimit,
		inflight: map[string]int{}, sub: map[string]int{}, refused: map[string]int{}}
}

// acquire takes units of concurrency and subUnits of sub-concurrency for key.
// It returns a release func, or the reason for refusing.
func (l *limiter) acquire(key string, units, subUnits int) (func(), string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inflight[key]+units > l.limit {
		l.refused["concurrency"]++
		return nil, "concurrency"
	}
	if subUnits > 0 && l.sub[key]+subUnits > l.subLimit {
		l.refused["sub_concurrency"]++
		return nil, "sub_concurrency"
	}
	l.inflight[key] += units
	l.sub[key] += subUnits
	l.maxSeen = max(l.maxSeen, l.inflight[key])
	l.maxSub = max(l.maxSub, l.sub[key])
	var once sync.Once
	return func() { once.Do(func() { l.release(key, units, subUnits) }) }, ""
}

func (l *limiter) release(key string, units, subUnits int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight[key] -= units
	l.sub[key] -= subUnits
}

// snapshot returns the current totals over all keys, the maxima seen and the
// refusals by reason.
func (l *limiter) snapshot() (inflight, sub, maxSeen, maxSub int, refused map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range l.inflight {
		inflight += n
	}
	for _, n := range l.sub {
		sub += n
	}
	refused = make(map[string]int, len(l.refused))
	for k, v := range l.refused {
		refused[k] = v
	}
	return inflight, sub, l.maxSeen, l.maxSub, refused
}

func (l *limiter) resetMax() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.maxSeen, l.maxSub = 0, 0
	l.refused = map[string]int{}
}

// refuse counts a refusal decided elsewhere (credits).
func (l *limiter) refuse(reason string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refused[reason]++
}
