package stats

import (
	"sync"
	"testing"
	"time"
)

func msList(vals ...int) []time.Duration {
	out := make([]time.Duration, len(vals))
	for i, v := range vals {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100..1, unsorted on purpose
	}
	cases := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", msList(7), 0.99, 7 * time.Millisecond},
		{"median of four", msList(4, 1, 3, 2), 0.5, 2 * time.Millisecond},
		{"p99 of 100", msList(hundred...), 0.99, 99 * time.Millisecond},
		{"p100", msList(hundred...), 1, 100 * time.Millisecond},
		{"tiny p", msList(5, 6), 0.0001, 5 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Percentile(c.in, c.p); got != c.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", c.in, c.p, got, c.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	in := msList(10, 30, 20, 40)
	got := Summarize(in)
	want := Summary{N: 4, Mean: 25, P50: 20, P90: 40, P99: 40, Max: 40}
	if got != want {
		t.Errorf("Summarize = %+v, want %+v", got, want)
	}
	if in[1] != 30*time.Millisecond {
		t.Errorf("Summarize sorted its input: %v", in)
	}
	if (Summarize(nil) != Summary{}) {
		t.Errorf("Summarize(nil) = %+v, want the zero summary", Summarize(nil))
	}
}

func TestRecorderConcurrent(t *testing.T) {
	var r Recorder
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				r.Add(time.Millisecond)
			}
		}()
	}
	wg.Wait()
	if r.Len() != 800 || r.Sum() != 800*time.Millisecond || len(r.Values()) != 800 {
		t.Errorf("recorder holds %d values summing %v, want 800 and 800ms", r.Len(), r.Sum())
	}
}
