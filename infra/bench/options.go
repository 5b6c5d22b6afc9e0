package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/zohosync/zohosync/infra/bench/stream"
	"github.com/zohosync/zohosync/infra/zohosim"
)

// options are the command's flags.
type options struct {
	scenarios  []string
	scale      float64
	outDir     string
	goBench    []string
	benchtime  string
	functions  bool
	bootstraps string
	seed       uint64
	senders    int
	probe      time.Duration
	render     string
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o options
	var scen, gob string
	fs.StringVar(&scen, "scenarios", strings.Join(defaultScenarios(), ","), "scenarios to run, comma-separated (also: "+
		strings.Join(extraScenarios(), ", ")+")")
	fs.Float64Var(&o.scale, "scale", 1, "multiply every scenario's events and duration (0.1 for a quick look)")
	fs.StringVar(&o.outDir, "out", "docs", "folder for BENCHMARKS.md and benchmarks.json (relative to the repository)")
	fs.StringVar(&gob, "gobench", "./shared/plan,./shared/mapping,./shared/webhook,./shared/ingest",
		"packages whose Go benchmarks to run, comma-separated (empty: none)")
	fs.StringVar(&o.benchtime, "benchtime", "1s", "go test -benchtime")
	fs.BoolVar(&o.functions, "functions", true, "measure bootstrap sizes and cold init")
	fs.StringVar(&o.bootstraps, "bootstraps", "", "folder with linux/arm64 <fn>/bootstrap built by `make build` (default: build them)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the streams and the simulator's latency")
	fs.IntVar(&o.senders, "senders", 16, "concurrent webhook senders")
	fs.DurationVar(&o.probe, "probe", 8*time.Second, "how long the throughput probe runs")
	fs.StringVar(&o.render, "render", "", "only rewrite the report from this benchmarks.json (no run)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.scale <= 0 {
		return o, fmt.Errorf("-scale must be positive")
	}
	for _, s := range strings.Split(scen, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if _, ok := scenarioByName(s); !ok {
			return o, fmt.Errorf("unknown scenario %q (have %s)", s, strings.Join(scenarioNames(), ", "))
		}
		o.scenarios = append(o.scenarios, s)
	}
	for _, p := range strings.Split(gob, ",") {
		if p = strings.TrimSpace(p); p != "" {
			o.goBench = append(o.goBench, p)
		}
	}
	return o, nil
}

// latencies is the simulator's latency model. Zoho publishes no latency
// figures; these are assumptions chosen to look like a busy CRM: writes
// with a median of 300 ms and a p99 of 1 s, composite calls (a few
// sequential single-record writes) half as slow again, token calls 150 ms
// with a p99 of 600 ms. The model does not grow with records per call.
func (o options) latencies() zohosim.Latencies {
	return zohosim.Latencies{
		Token:     zohosim.Latency{Kind: "lognormal", Median: 150 * time.Millisecond, P99: 600 * time.Millisecond},
		Write:     zohosim.Latency{Kind: "lognormal", Median: 300 * time.Millisecond, P99: time.Second},
		Composite: zohosim.Latency{Kind: "lognormal", Median: 450 * time.Millisecond, P99: 1500 * time.Millisecond},
	}
}

// scenario is one load run.
type scenario struct {
	name, description string
	mix               []stream.Weighted
	repeat, company   float64
	// events at perSecond; a burst (perSecond 0) is queued whole before the
	// event source mapping starts.
	events    int
	perSecond float64
	// batchSize, window and maxConcurrency override template.yaml's event
	// source mapping when positive.
	batchSize      int
	window         time.Duration
	maxConcurrency int
	// extra scenarios run only when named with -scenarios.
	extra bool
}

// mixed is the headline mix: per 100 events, 35 Stripe customers, 30
// checkouts (a Contact and a Deal), 25 Typeform leads and 10 Shopify
// customers.
var mixed = []stream.Weighted{{Kind: stream.StripeCustomer, Weight: 35}, {Kind: stream.StripeCheckout, Weight: 30},
	{Kind: stream.TypeformLead, Weight: 25}, {Kind: stream.ShopifyCustomer, Weight: 10}}

var scenarios = []scenario{
	{name: "steady", description: "steady mixed stream, 600 events/min for 90 s, template settings",
		mix: mixed, repeat: 0.6, company: 0.2, events: 900, perSecond: 10},
	{name: "burst", description: "burst of 10,000 mixed events queued at once, then drained with template settings",
		mix: mixed, repeat: 0.6, company: 0.2, events: 10000},
	{name: "burst-big-batches", description: "burst of 4,000 mixed events queued at once, drained with SyncBatchSize=10000 (batches then stop at the 6 MB payload limit or the 5 s window)",
		mix: mixed, repeat: 0.6, company: 0.2, events: 4000, batchSize: 10000, window: 5 * time.Second, maxConcurrency: 5, extra: true},
	{name: "sparse", description: "sparse mixed modules: every sample kind, 30 events/min for 60 s",
		mix: []stream.Weighted{{Kind: stream.StripeCustomer, Weight: 1}, {Kind: stream.StripeCheckout, Weight: 1},
			{Kind: stream.StripeInvoice, Weight: 1}, {Kind: stream.ShopifyCustomer, Weight: 1},
			{Kind: stream.ShopifyOrder, Weight: 1}, {Kind: stream.TypeformLead, Weight: 1}, {Kind: stream.CalendlyBooking, Weight: 1}},
		repeat: 0.3, company: 0.5, events: 30, perSecond: 0.5},
	{name: "chains", description: "dependent chains: Stripe checkouts (Contact then Deal, half with an Account first), 300 events/min for 60 s",
		mix: []stream.Weighted{{Kind: stream.StripeCheckout, Weight: 1}}, repeat: 0.3, company: 0.5, events: 300, perSecond: 5},
	{name: "steady-2syncs", description: "the steady mix at 1,200 events/min for 120 s with the template's batching and SyncMaxConcurrency=2, so each batch holds twice the events",
		mix: mixed, repeat: 0.6, company: 0.2, events: 2400, perSecond: 20, maxConcurrency: 2, extra: true},
}

func scenarioNames() []string {
	out := make([]string, len(scenarios))
	for i, s := range scenarios {
		out[i] = s.name
	}
	return out
}

func defaultScenarios() []string {
	var out []string
	for _, s := range scenarios {
		if !s.extra {
			out = append(out, s.name)
		}
	}
	return out
}

func extraScenarios() []string {
	var out []string
	for _, s := range scenarios {
		if s.extra {
			out = append(out, s.name)
		}
	}
	return out
}

func scenarioByName(name string) (scenario, bool) {
	for _, s := range scenarios {
		if s.name == name {
			return s, true
		}
	}
	return scenario{}, false
}
