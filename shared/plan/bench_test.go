package plan

import (
	"fmt"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

// mixedOps is a batch of n events: two in five are checkouts (contact and
// deal), the rest customer upserts; one e-mail in eight repeats an earlier
// one, so some records coalesce.
func mixedOps(n int) []*core.Operation {
	var ops []*core.Operation
	for i := range n {
		m := fmt.Sprintf("m%d", i)
		email := fmt.Sprintf("c%d@example.com", i)
		if i%8 == 7 {
			email = fmt.Sprintf("C%d@example.com", i-3)
		}
		ops = append(ops, contact(m, email, "Phone", "+1555"+m))
		if i%5 < 2 {
			ops = append(ops, deal(m))
		}
	}
	return ops
}

func BenchmarkMake(b *testing.B) {
	for _, events := range []int{100, 1000, 10000} {
		ops := mixedOps(events)
		for _, bind := range []Binding{None, Credits} {
			b.Run(fmt.Sprintf("events=%d/bind=%v", events, bind), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Make(ops, Limits{Bind: bind}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(ops))*float64(b.N)/b.Elapsed().Seconds(), "ops/s")
			})
		}
	}
}
