package queue_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/queue"
)

// BenchmarkEmulatorSend measures Send round trips against fauxqs, and
// SendBatch of 10, with percentiles.
func BenchmarkEmulatorSend(b *testing.B) {
	ctx := context.Background()
	s := mustStack(b)
	q, err := queue.New(s.sqs, s.url, s.blobs, queue.Options{})
	if err != nil {
		b.Fatal(err)
	}
	body := fixture(b, "stripe", "customer.created.json")
	for i := range 200 {
		if err := q.Send(ctx, envelope("stripe", "warm"+strconv.Itoa(i), body), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("send", func(b *testing.B) {
		var l []time.Duration
		i := 0
		for b.Loop() {
			i++
			start := time.Now()
			if err := q.Send(ctx, envelope("stripe", "evt"+strconv.Itoa(i), body), 0); err != nil {
				b.Fatal(err)
			}
			l = append(l, time.Since(start))
		}
		report(b, l)
	})
	b.Run("send-batch-10", func(b *testing.B) {
		var l []time.Duration
		i := 0
		for b.Loop() {
			msgs := make([]queue.Message, 10)
			for j := range msgs {
				i++
				msgs[j] = queue.Message{Env: envelope("stripe", "batch"+strconv.Itoa(i), body)}
			}
			start := time.Now()
			for _, err := range q.SendBatch(ctx, msgs) {
				if err != nil {
					b.Fatal(err)
				}
			}
			l = append(l, time.Since(start))
		}
		report(b, l)
	})
}

func report(b *testing.B, l []time.Duration) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	at := func(p float64) float64 { return float64(l[int(p*float64(len(l)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
