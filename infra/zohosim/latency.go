package zohosim

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// Latency is a model of how long Zoho takes to answer one endpoint class.
// The zero value adds no latency.
type Latency struct {
	// Kind is "" or "none", "fixed" (Fixed), "uniform" (between Min and
	// Max) or "lognormal" (Median and P99).
	Kind   string
	Fixed  time.Duration
	Min    time.Duration
	Max    time.Duration
	Median time.Duration
	P99    time.Duration
}

// Latencies sets a model per endpoint class: the token endpoint (and
// revoke), record writes, and composite calls. Other calls use Write.
type Latencies struct {
	Token     Latency `json:"token,omitempty"`
	Write     Latency `json:"write,omitempty"`
	Composite Latency `json:"composite,omitempty"`
}

// z99 is the standard normal quantile at 0.99.
const z99 = 2.3263478740408408

func (l Latency) validate() error {
	switch l.Kind {
	case "", "none":
	case "fixed":
		if l.Fixed < 0 {
			return fmt.Errorf("latency fixed: negative duration")
		}
	case "uniform":
		if l.Min < 0 || l.Max < l.Min {
			return fmt.Errorf("latency uniform: want 0 <= min <= max")
		}
	case "lognormal":
		if l.Median <= 0 || l.P99 < l.Median {
			return fmt.Errorf("latency lognormal: want 0 < median <= p99")
		}
	default:
		return fmt.Errorf("latency kind %q: want none, fixed, uniform or lognormal", l.Kind)
	}
	return nil
}

func (ls Latencies) validate() error {
	for _, l := range []Latency{ls.Token, ls.Write, ls.Composite} {
		if err := l.validate(); err != nil {
			return err
		}
	}
	return nil
}

// sample draws one delay; r supplies standard normal and uniform draws.
func (l Latency) sample(r *lockedRand) time.Duration {
	switch l.Kind {
	case "fixed":
		return l.Fixed
	case "uniform":
		return l.Min + time.Duration(r.float64()*float64(l.Max-l.Min))
	case "lognormal":
		mu := math.Log(float64(l.Median))
		sigma := (math.Log(float64(l.P99)) - mu) / z99
		return time.Duration(math.Exp(mu + sigma*r.normal()))
	}
	return 0
}

type latencyJSON struct {
	Kind   string       `json:"kind"`
	Fixed  jsonDuration `json:"fixed,omitempty"`
	Min    jsonDuration `json:"min,omitempty"`
	Max    jsonDuration `json:"max,omitempty"`
	Median jsonDuration `json:"median,omitempty"`
	P99    jsonDuration `json:"p99,omitempty"`
}

// MarshalJSON writes durations as strings such as "120ms".
func (l Latency) MarshalJSON() ([]byte, error) {
	return json.Marshal(latencyJSON{Kind: l.Kind, Fixed: jsonDuration(l.Fixed), Min: jsonDuration(l.Min),
		Max: jsonDuration(l.Max), Median: jsonDuration(l.Median), P99: jsonDuration(l.P99)})
}

// UnmarshalJSON reads {"kind": "lognormal", "median": "80ms", "p99": "1s"}.
func (l *Latency) UnmarshalJSON(b []byte) error {
	var w latencyJSON
	if err := strictUnmarshal(b, &w); err != nil {
		return fmt.Errorf("latency: %w", err)
	}
	*l = Latency{Kind: w.Kind, Fixed: time.Duration(w.Fixed), Min: time.Duration(w.Min),
		Max: time.Duration(w.Max), Median: time.Duration(w.Median), P99: time.Duration(w.P99)}
	return l.validate()
}

// latencySet holds the current models; SetLatency changes them at run time.
type latencySet struct {
	mu sync.RWMutex
	ls Latencies
}

func newLatencySet(ls Latencies) *latencySet { return &latencySet{ls: ls} }

func (s *latencySet) get(class string) Latency {
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch class {
	case "token":
		return s.ls.Token
	case "composite":
		return s.ls.Composite
	}
	return s.ls.Write
}

// SetLatency replaces the model of one class: "token", "write" or
// "composite".
func (s *Sim) SetLatency(class string, l Latency) error {
	if err := l.validate(); err != nil {
		return fmt.Errorf("zohosim: %w", err)
	}
	s.latency.mu.Lock()
	defer s.latency.mu.Unlock()
	switch class {
	case "token":
		s.latency.ls.Token = l
	case "write":
		s.latency.ls.Write = l
	case "composite":
		s.latency.ls.Composite = l
	default:
		return fmt.Errorf("zohosim: latency class %q: want token, write or composite", class)
	}
	return nil
}

// lockedRand is a seeded random source safe for concurrent use.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newLockedRand(seed uint64) *lockedRand {
	if seed == 0 {
		seed = 0x5eed
	}
	return &lockedRand{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (r *lockedRand) float64() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.Float64()
}

func (r *lockedRand) normal() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.NormFloat64()
}
