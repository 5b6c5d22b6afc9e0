package gobench

import (
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/zohosync/zohosync/shared/plan
cpu: Intel(R) Xeon(R) Processor
BenchmarkMake/events=100/bind=none-2         	    2041	    586342 ns/op	    221347 ops/s	  327144 B/op	    3512 allocs/op
BenchmarkHeadline-2   	       3	 412345678 ns/op	         0.08850 credits/record	  123 B/op	  4 allocs/op
PASS
ok  	github.com/zohosync/zohosync/shared/plan	12.3s
pkg: github.com/zohosync/zohosync/shared/webhook
BenchmarkVerify/stripe-2 	  400000	      2950 ns/op	 486.42 MB/s	     320 B/op	       5 allocs/op
BenchmarkBroken-2 abc
BenchmarkNoProcs 	  10	      5 ns/op
--- FAIL: something
`

func TestParse(t *testing.T) {
	got, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{
		{Package: "github.com/zohosync/zohosync/shared/plan", Name: "BenchmarkMake/events=100/bind=none", Procs: 2, N: 2041,
			Metrics: map[string]float64{"ns/op": 586342, "ops/s": 221347, "B/op": 327144, "allocs/op": 3512}},
		{Package: "github.com/zohosync/zohosync/shared/plan", Name: "BenchmarkHeadline", Procs: 2, N: 3,
			Metrics: map[string]float64{"ns/op": 412345678, "credits/record": 0.0885, "B/op": 123, "allocs/op": 4}},
		{Package: "github.com/zohosync/zohosync/shared/webhook", Name: "BenchmarkVerify/stripe", Procs: 2, N: 400000,
			Metrics: map[string]float64{"ns/op": 2950, "MB/s": 486.42, "B/op": 320, "allocs/op": 5}},
		{Package: "github.com/zohosync/zohosync/shared/webhook", Name: "BenchmarkNoProcs", N: 10,
			Metrics: map[string]float64{"ns/op": 5}},
	}
	if len(got) != len(want) {
		t.Fatalf("parsed %d results, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Package != w.Package || g.Name != w.Name || g.Procs != w.Procs || g.N != w.N || len(g.Metrics) != len(w.Metrics) {
			t.Errorf("result %d = %+v, want %+v", i, g, w)
			continue
		}
		for k, v := range w.Metrics {
			if g.Metrics[k] != v {
				t.Errorf("result %d metric %s = %v, want %v", i, k, g.Metrics[k], v)
			}
		}
	}
}
