package report

import (
	"fmt"
	"sort"
	"strings"
)

func functionSection(r *Report) string {
	if len(r.Functions) == 0 {
		return ""
	}
	t := table{head: []string{"function", "bootstrap (linux/arm64)", "zip", "cold init", "init trials", "InitDuration metric", "first / warm invoke", "init ÷ echo"}}
	row := func(f Function) {
		trials := make([]string, len(f.Trials))
		for i, v := range f.Trials {
			trials[i] = fmt.Sprintf("%.1f", v)
		}
		t.add(f.Name, fmt.Sprintf("%.2f MB", mb(f.Bytes)), fmt.Sprintf("%.2f MB", mb(f.ZipBytes)),
			fmt.Sprintf("%.1f ms", f.InitMs), strings.Join(trials, ", ")+" ms", selfInit(f.SelfInitMs),
			fmt.Sprintf("%.1f / %.1f ms", f.ColdMs, f.WarmMs), fmt.Sprintf("%.1f×", ratio(f.InitMs, r.InitBaseline.InitMs)))
	}
	for _, f := range r.Functions {
		row(f)
	}
	row(r.InitBaseline)
	return "## Functions\n\nBootstrap: `GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags \"-s -w\"` " +
		"(the Makefile's flags), zip = bootstrap + bundled config, deflated. Cold init: a host-architecture build started " +
		"against a minimal Lambda Runtime API on 127.0.0.1 (infra/bench/runtimeapi.go) with the functions' environment " +
		"pointed at the emulators; init = from starting the process to its first request for an event (Go runtime, AWS " +
		"config, config file, secrets, handler construction), median of three starts. InitDuration is what the function " +
		"itself reports (shared/app's metric, from main's start). The first and warm invokes are of the same event. `echo` " +
		"is a minimal aws-lambda-go function measured the same way (the baseline).\n\n" +
		t.String() + "\n"
}

func goBenchSection(r *Report) string {
	if len(r.GoBench) == 0 {
		return ""
	}
	c := r.Calibration
	t := table{head: []string{"benchmark", "ns/op", "× baseline", "B/op", "allocs/op", "other"}}
	for _, g := range r.GoBench {
		var other []string
		keys := make([]string, 0, len(g.Metrics))
		for k := range g.Metrics {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch k {
			case "ns/op", "B/op", "allocs/op":
			default:
				other = append(other, fmt.Sprintf("%.4g %s", g.Metrics[k], k))
			}
		}
		pkg := g.Package[strings.LastIndex(g.Package, "/")+1:]
		t.add(pkg+"."+strings.TrimPrefix(g.Name, "Benchmark"), fmt.Sprintf("%.0f", g.Metrics["ns/op"]),
			fmt.Sprintf("%.2f", ratio(g.Metrics["ns/op"], (c.StartNs+c.EndNs)/2)), fmt.Sprintf("%.0f", g.Metrics["B/op"]),
			fmt.Sprintf("%.0f", g.Metrics["allocs/op"]), strings.Join(other, ", "))
	}
	return fmt.Sprintf("## Go micro benchmarks\n\n`go test -p 1 -run '^$' -bench . -benchmem` on the planner, mapping, signature "+
		"verification and the ingest handler's own work. Baseline: %s — %.0f ns/op just before them, %.0f ns/op just after; "+
		"× baseline divides by their mean.\n\n%s\n", c.What, c.StartNs, c.EndNs, t.String())
}

func notesSection(r *Report) string {
	if len(r.Notes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("## Findings\n\n")
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	return b.String() + "\n"
}

func methodSection(r *Report) string {
	var b strings.Builder
	b.WriteString("## Method\n\n")
	b.WriteString("- Everything runs in one process inside the project's private network namespace: the front door (HTTP on " +
		"127.0.0.1) → the ingest function → fauxqs (SQS) ← the event source mapping (infra/local/poller, with the scenario's " +
		"batch size, window and maximum concurrency) → the sync function → infra/zohosim over HTTP; state in DynamoDB Local. " +
		"Each function is a pool of containers built through shared/app exactly as the deployed mains build themselves " +
		"(one container per concurrent invocation, each with its own token and ledger caches).\n")
	b.WriteString("- Events are the samples in testdata/webhooks with ids, people, e-mail addresses, phone numbers, postal " +
		"addresses, companies and amounts varied (infra/bench/stream), signed with the samples' test secrets when sent. " +
		"In the mixed streams 60% of checkouts come from a customer created shortly before (Stripe sends both), so some " +
		"Contacts are written by two events.\n")
	b.WriteString("- Records = operations the config maps the accepted events to. Credits, calls, in-flight maxima, 429s and " +
		"token mints are the simulator's own counts. Webhook → CRM is measured from the moment a webhook is posted (for the " +
		"burst: from its release to the sync) to the OnResult of its last record.\n")
	b.WriteString("- The naive sender (infra/bench/naive) makes one Zoho call per event: a one-record upsert, or one " +
		"composite with a sub-request per operation for a dependent chain. It writes the same records to a simulator with " +
		"the same edition, limits and schema but no latency (its credits and calls do not depend on latency; its throughput " +
		"ceiling is computed instead), holding at most the same concurrency share.\n")
	b.WriteString("- The simulator's latency does not grow with records per call; real Zoho likely takes longer for a " +
		"100-record write than for one record, which would lower the concurrency limit for both zohosync and the naive sender.\n")
	b.WriteString("- Ingest latency is the in-process function duration against the emulators, which are slower than " +
		"DynamoDB and SQS in AWS (the floor row measures them in the same run); Lambda GB-s are priced from these " +
		"durations, so they overstate AWS's.\n")
	return b.String()
}

func pricesSection(r *Report) string {
	t := table{head: []string{"item", "price", "unit", "source"}}
	for _, p := range r.Prices.Items {
		t.add(p.Name, fmt.Sprintf("$%g", p.Price), p.Unit, p.Source)
	}
	return fmt.Sprintf("## Prices\n\n%s list prices, read %s, without free tiers or savings plans (infra/bench/price).\n\n%s\n",
		r.Prices.Region, r.Prices.Taken, t.String())
}

func selfInit(v float64) string {
	if v == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f ms", v)
}
