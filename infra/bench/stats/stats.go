package stats

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Summary describes a set of durations in milliseconds. The zero value
// describes an empty set.
type Summary struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean_ms"`
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
}

// Summarize returns the summary of ds; ds is not modified.
func Summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Summary{
		N:    len(s),
		Mean: ms(sum / time.Duration(len(s))),
		P50:  ms(rank(s, 0.50)),
		P90:  ms(rank(s, 0.90)),
		P99:  ms(rank(s, 0.99)),
		Max:  ms(s[len(s)-1]),
	}
}

// Percentile returns the nearest-rank p-quantile (0 < p ≤ 1) of ds, or 0
// for an empty slice.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return rank(s, p)
}

// rank is the nearest-rank quantile of a sorted, non-empty slice.
func rank(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Recorder collects durations; it is safe for concurrent use. The zero
// value is ready.
type Recorder struct {
	mu sync.Mutex
	ds []time.Duration
}

// Add records one duration.
func (r *Recorder) Add(d time.Duration) {
	r.mu.Lock()
	r.ds = append(r.ds, d)
	r.mu.Unlock()
}

// Values returns a copy of the durations recorded so far, in order.
func (r *Recorder) Values() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ds)
}

// Sum returns the total of the durations recorded so far.
func (r *Recorder) Sum() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s time.Duration
	for _, d := range r.ds {
		s += d
	}
	return s
}

// Len returns how many durations were recorded.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ds)
}
