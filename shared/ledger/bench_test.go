package ledger

import (
	"context"
	"testing"
)

// BenchmarkReserveSettle is one plan's credits: a reservation settled with
// part of it refunded (two conditional writes, DynamoDB Local).
func BenchmarkReserveSettle(b *testing.B) {
	r := newRig(b, Limits{Budget: 1 << 40, Share: 1, Concurrency: 10, Sub: 10})
	l := r.ledger(b, nil)
	ctx := context.Background()
	for b.Loop() {
		res, err := l.Reserve(ctx, "acme", 10)
		if err != nil {
			b.Fatal(err)
		}
		if err := res.Settle(ctx, 9, -1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAcquireRelease is one call's slots, uncontended: a single unit
// (read, put, delete) and a composite's five units (read, transaction,
// five deletes).
func BenchmarkAcquireRelease(b *testing.B) {
	for _, units := range []int{1, 5} {
		b.Run(map[int]string{1: "unit", 5: "composite"}[units], func(b *testing.B) {
			r := newRig(b, Limits{Budget: 1000, Share: 1, Concurrency: 10, Sub: 10})
			l := r.ledger(b, nil)
			ctx := context.Background()
			for b.Loop() {
				s, err := l.Acquire(ctx, "acme", units, 0)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Release(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
