package dynamo_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/dynamo"
)

// latencies collects per-operation round trips and reports percentiles.
type latencies []time.Duration

func (l *latencies) time(f func()) {
	start := time.Now()
	f()
	*l = append(*l, time.Since(start))
}

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(p float64) float64 { return float64(s[int(p*float64(len(s)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkEmulatorClaimPath measures the ingest handler's DynamoDB round
// trips against DynamoDB Local: a new claim, its completion, and a
// duplicate delivery's claim.
func BenchmarkEmulatorClaimPath(b *testing.B) {
	ctx := context.Background()
	c := mustTable(b, newClock(), dynamo.Options{}).Claims()
	src := uniq("bench")
	for i := range 200 { // warm the JVM and the connection pool
		id := "warm" + strconv.Itoa(i)
		c.Claim(ctx, src, id, time.Minute)
		c.Complete(ctx, src, id)
	}
	run := func(name string, op func(id string)) {
		b.Run(name, func(b *testing.B) {
			var l latencies
			i := 0
			for b.Loop() {
				i++
				id := name + strconv.Itoa(i)
				l.time(func() { op(id) })
			}
			l.report(b)
		})
	}
	run("claim-new", func(id string) {
		if st, err := c.Claim(ctx, src, id, time.Minute); err != nil || st != core.ClaimNew {
			b.Fatalf("claim: %v, %v", st, err)
		}
	})
	run("claim-then-complete", func(id string) {
		if _, err := c.Claim(ctx, src, id, time.Minute); err != nil {
			b.Fatal(err)
		}
		if err := c.Complete(ctx, src, id); err != nil {
			b.Fatal(err)
		}
	})
	run("claim-duplicate", func(string) {
		if st, err := c.Claim(ctx, src, "warm0", time.Minute); err != nil || st != core.ClaimDone {
			b.Fatalf("claim: %v, %v", st, err)
		}
	})
}
