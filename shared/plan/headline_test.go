package plan_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/plan"
	"github.com/zohosync/zohosync/shared/plan/plantest"
)

// batching is one sync event source setting: batching window and batch
// size.
type batching struct {
	name   string
	window time.Duration
	max    int
	bind   plan.Binding
}

var batchings = []batching{
	{"5 s, 100 (template default)", 5 * time.Second, 100, plan.None},
	{"60 s, 10,000", time.Minute, 10000, plan.None},
	{"60 s, 10,000, credits bind", time.Minute, 10000, plan.Credits},
	{"300 s, 10,000", 5 * time.Minute, 10000, plan.None},
}

// TestHeadline plans the 10,000-event headline stream under each batching
// setting and prints credits and calls per record beside sending each event
// alone (go test -run Headline -v ./shared/plan).
func TestHeadline(t *testing.T) {
	events := plantest.Stream(plantest.DefaultStream)
	naive, perRecord := plantest.Naive(events), plantest.NaivePerRecord(events)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-38s %7s %7s %7s %6s %6s %11s %9s | %-15s | %-15s\n", "sending", "records", "written",
		"credits", "calls", "units", "credits/rec", "calls/rec", "vs per event", "vs per record")
	row := func(name string, tl plantest.Tally) {
		fmt.Fprintf(&b, "%-38s %7d %7d %7d %6d %6d %11.4f %9.4f | %5.1fx %5.1fx | %5.1fx %5.1fx\n",
			name, tl.Records, tl.Written, tl.Credits, tl.Calls, tl.Units, tl.CreditsPerRecord(), tl.CallsPerRecord(),
			ratio(naive.Credits, tl.Credits), ratio(naive.Calls, tl.Calls),
			ratio(perRecord.Credits, tl.Credits), ratio(perRecord.Calls, tl.Calls))
	}
	row("naive: one call per event", naive)
	row("naive: one call per record", perRecord)
	for _, bt := range batchings {
		tl, err := plantest.Planned(events, plantest.Batches(events, bt.window, bt.max), plan.Limits{Bind: bt.bind})
		if err != nil {
			t.Fatal(err)
		}
		if tl.Records != naive.Records {
			t.Fatalf("%s: planned %d records, stream has %d", bt.name, tl.Records, naive.Records)
		}
		if tl.Credits > naive.Credits || tl.Calls > naive.Calls {
			t.Errorf("%s: plan costs more than naive sending: %+v vs %+v", bt.name, tl.Cost, naive.Cost)
		}
		row("zohosync, "+bt.name, tl)
	}
	t.Log(b.String())
}

// BenchmarkHeadline reports the headline figures as metrics for the 60 s
// setting, and the planning speed over the whole stream.
func BenchmarkHeadline(b *testing.B) {
	events := plantest.Stream(plantest.DefaultStream)
	batches := plantest.Batches(events, time.Minute, 10000)
	naive := plantest.Naive(events)
	var tl plantest.Tally
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if tl, err = plantest.Planned(events, batches, plan.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(tl.CreditsPerRecord(), "credits/record")
	b.ReportMetric(tl.CallsPerRecord(), "calls/record")
	perRecord := plantest.NaivePerRecord(events)
	b.ReportMetric(ratio(naive.Credits, tl.Credits), "credits-x-per-event")
	b.ReportMetric(ratio(naive.Calls, tl.Calls), "calls-x-per-event")
	b.ReportMetric(ratio(perRecord.Credits, tl.Credits), "credits-x-per-record")
	b.ReportMetric(ratio(perRecord.Calls, tl.Calls), "calls-x-per-record")
	b.ReportMetric(float64(tl.Records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func ratio(naive, ours int) float64 { return float64(naive) / float64(ours) }
