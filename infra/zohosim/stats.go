package zohosim

import (
	"sync"
	"time"
)

// Stats is a snapshot of what the simulated Zoho has seen since New or the
// last Reset.
type Stats struct {
	// Records is the number of stored records per module.
	Records map[string]int `json:"records"`
	// Calls counts answered calls by endpoint (token, revoke, insert, update,
	// upsert, composite, other) and HTTP status.
	Calls map[string]map[int]int `json:"calls"`
	// RecordResults counts per-record outcomes of writes (composite
	// sub-requests included) by code: SUCCESS, INVALID_DATA ...
	RecordResults map[string]int `json:"record_results"`
	// CreditsUsed are the credits spent in the rolling 24-hour window,
	// CreditsRemaining what is left of CreditsLimit, CreditsSpent all
	// credits spent regardless of the window.
	CreditsUsed      int64 `json:"credits_used"`
	CreditsRemaining int64 `json:"credits_remaining"`
	CreditsLimit     int64 `json:"credits_limit"`
	CreditsSpent     int64 `json:"credits_spent"`
	// InFlight and SubInFlight are the calls being served now;
	// MaxInFlight and MaxSubInFlight the highest counts seen (in units:
	// a composite counts 5).
	InFlight       int `json:"in_flight"`
	SubInFlight    int `json:"sub_in_flight"`
	MaxInFlight    int `json:"max_in_flight"`
	MaxSubInFlight int `json:"max_sub_in_flight"`
	// Refused counts 429 answers by reason: concurrency, sub_concurrency,
	// credits.
	Refused map[string]int `json:"refused"`
	// TokenMints counts access tokens minted, per data centre.
	TokenMints      map[string]int `json:"token_mints"`
	TokenMintsTotal int            `json:"token_mints_total"`
}

// LogEntry is one answered call. It never holds token values, secrets or
// bodies.
type LogEntry struct {
	Time     time.Time     `json:"time"`
	DC       string        `json:"dc"`
	Method   string        `json:"method"`
	Path     string        `json:"path"`
	Endpoint string        `json:"endpoint"`
	Module   string        `json:"module,omitempty"`
	ClientID string        `json:"client_id,omitempty"`
	Status   int           `json:"status"`
	Code     string        `json:"code,omitempty"`
	Records  int           `json:"records"`
	Failed   int           `json:"failed"`
	Credits  int64         `json:"credits"`
	Duration time.Duration `json:"duration_ns"`
}

// counters keeps call counts and the request log (a ring of limit entries).
type counters struct {
	mu      sync.Mutex
	calls   map[string]map[int]int
	results map[string]int
	log     []LogEntry
	next    int
	full    bool
	limit   int
}

func newCounters(limit int) *counters {
	c := &counters{limit: limit}
	c.reset()
	return c
}

func (c *counters) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = map[string]map[int]int{}
	c.results = map[string]int{}
	c.log, c.next, c.full = nil, 0, false
}

func (c *counters) record(e LogEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls[e.Endpoint] == nil {
		c.calls[e.Endpoint] = map[int]int{}
	}
	c.calls[e.Endpoint][e.Status]++
	if c.limit <= 0 {
		return
	}
	if len(c.log) < c.limit {
		c.log = append(c.log, e)
		return
	}
	c.log[c.next] = e
	c.next = (c.next + 1) % c.limit
	c.full = true
}

func (c *counters) addResults(codes map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range codes {
		c.results[k] += n
	}
}

func (c *counters) entries() []LogEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]LogEntry, 0, len(c.log))
	if c.full {
		out = append(out, c.log[c.next:]...)
		return append(out, c.log[:c.next]...)
	}
	return append(out, c.log...)
}

func (c *counters) snapshot() (map[string]map[int]int, map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	calls := make(map[string]map[int]int, len(c.calls))
	for ep, m := range c.calls {
		calls[ep] = make(map[int]int, len(m))
		for st, n := range m {
			calls[ep][st] = n
		}
	}
	results := make(map[string]int, len(c.results))
	for k, n := range c.results {
		results[k] = n
	}
	return calls, results
}

// Stats returns a snapshot of the counters.
func (s *Sim) Stats() Stats {
	var st Stats
	st.Calls, st.RecordResults = s.stats.snapshot()
	st.CreditsUsed, st.CreditsRemaining, st.CreditsLimit, st.CreditsSpent = s.ledger.snapshot(s.Now())
	st.InFlight, st.SubInFlight, st.MaxInFlight, st.MaxSubInFlight, st.Refused = s.limiter.snapshot()
	st.TokenMints = s.tokens.mintCounts()
	for _, n := range st.TokenMints {
		st.TokenMintsTotal += n
	}
	st.Records = map[string]int{}
	s.store.mu.RLock()
	for name, t := range s.store.tables {
		st.Records[name] = len(t.rows)
	}
	s.store.mu.RUnlock()
	return st
}

// Log returns the request log, oldest first (at most Config.LogLimit
// entries).
func (s *Sim) Log() []LogEntry { return s.stats.entries() }
