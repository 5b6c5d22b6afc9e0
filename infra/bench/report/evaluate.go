package report

import (
	"fmt"
	"sort"
)

// The targets zohosync reports against.
const (
	TargetCreditsPerRecord = 0.101
	TargetModuleRate       = 100 // records per minute per module
	TargetCreditsRatio     = 9.9
	TargetCallsRatio       = 95
	TargetThroughputShare  = 0.90
	TargetIngestP99Ms      = 10
	TargetInitMs           = 50
	TargetBootstrapBytes   = 12_000_000
	TargetCostPerMillion   = 1.50
)

// Evaluate checks every target against the report's figures.
func Evaluate(r *Report) []Target {
	var out []Target
	if l := r.IngestLatency; l.N > 0 {
		out = append(out, Target{Name: "ingest p99, warm, one at a time", Goal: fmt.Sprintf("≤ %d ms", TargetIngestP99Ms),
			Measured: fmt.Sprintf("%.1f ms, p50 %.1f ms (emulator floor p99 %.1f ms, %.1f×)", l.Handler.P99, l.Handler.P50,
				l.Floor.P99, ratio(l.Handler.P99, l.Floor.P99)),
			Met: l.Handler.P99 <= TargetIngestP99Ms, Why: ingestWhy(l)})
	}
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		out = append(out, scenarioTargets(r, s)...)
	}
	for _, f := range r.Functions {
		out = append(out, Target{Name: "cold init, " + f.Name, Goal: fmt.Sprintf("≤ %d ms", TargetInitMs),
			Measured: fmt.Sprintf("%.1f ms (echo baseline %.1f ms, %.1f×)", f.InitMs, r.InitBaseline.InitMs,
				ratio(f.InitMs, r.InitBaseline.InitMs)), Met: f.InitMs <= TargetInitMs})
		out = append(out, Target{Name: "bootstrap size, " + f.Name, Goal: "≤ 12 MB",
			Measured: fmt.Sprintf("%.1f MB (zip %.1f MB)", mb(f.Bytes), mb(f.ZipBytes)), Met: f.Bytes <= TargetBootstrapBytes,
			Why: sizeWhy(f, r.InitBaseline)})
	}
	return out
}

func scenarioTargets(r *Report, s *Scenario) []Target {
	var out []Target
	if s.OfferedPerSec == 0 || s.MinModuleRate() >= TargetModuleRate {
		cpr := s.CreditsPerRecord()
		out = append(out, Target{Name: s.Name + ": credits/record", Goal: fmt.Sprintf("≤ %.3f at ≥ %d records/min per module", TargetCreditsPerRecord, TargetModuleRate),
			Measured: fmt.Sprintf("%.4f (%.1f records per call)", cpr, s.Zoho.RecordsPerCall),
			Met:      cpr <= TargetCreditsPerRecord, Why: creditsWhy(s)})
	}
	out = append(out,
		Target{Name: s.Name + ": credits vs naive", Goal: fmt.Sprintf("≥ %.1f× fewer", TargetCreditsRatio),
			Measured: fmt.Sprintf("%.1f× (%d vs %d)", s.CreditsRatio(), s.Zoho.Credits, s.Naive.Credits),
			Met:      s.CreditsRatio() >= TargetCreditsRatio, Why: creditsRatioWhy(s)},
		Target{Name: s.Name + ": calls vs naive", Goal: fmt.Sprintf("≥ %d× fewer", TargetCallsRatio),
			Measured: fmt.Sprintf("%.1f× (%d vs %d)", s.CallsRatio(), s.Zoho.Calls, s.Naive.Sender.Calls),
			Met:      s.CallsRatio() >= TargetCallsRatio, Why: callsWhy(s)},
	)
	if s.OfferedPerSec == 0 {
		out = append(out, Target{Name: s.Name + ": throughput", Goal: "≥ 90% of the limit, 0 self-inflicted 429s",
			Measured: fmt.Sprintf("%.0f%% of %.0f records/s (%s), %d × 429", 100*s.Throughput.Share,
				s.Throughput.LimitRecordsPerSec, s.Throughput.Binding, s.Zoho.TooMany),
			Met: s.Throughput.Share >= TargetThroughputShare && s.Zoho.TooMany == 0, Why: throughputWhy(r, s)})
	} else {
		out = append(out, Target{Name: s.Name + ": no self-inflicted 429s", Goal: "0",
			Measured: fmt.Sprintf("%d × 429; kept up with %.1f records/s offered", s.Zoho.TooMany, s.Throughput.OfferedRecordsPerSec),
			Met:      s.Zoho.TooMany == 0, Why: throughputWhy(r, s)})
	}
	out = append(out,
		Target{Name: s.Name + ": AWS per million events", Goal: fmt.Sprintf("≤ $%.2f (Function URL)", TargetCostPerMillion),
			Measured: fmt.Sprintf("$%.2f (HTTP API: $%.2f)", s.AWS.Total, s.AWS.TotalHTTPAPI),
			Met:      s.AWS.Total <= TargetCostPerMillion, Why: costWhy(s)},
	)
	return out
}

func mb(b int64) float64 { return float64(b) / 1e6 }

// biggest names the largest line items of a bill, largest first.
func biggest(s *Scenario, n int) string {
	b := s.AWS.Bill
	items := []struct {
		name string
		v    float64
	}{{"DynamoDB writes", b.DynamoWrites}, {"DynamoDB reads", b.DynamoReads}, {"SQS", b.SQS},
		{"Lambda requests", b.LambdaRequests}, {"Lambda duration", b.LambdaDuration}, {"CloudWatch Logs", b.Logs}}
	sort.Slice(items, func(i, j int) bool { return items[i].v > items[j].v })
	out := ""
	for i := 0; i < n && i < len(items); i++ {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s $%.2f", items[i].name, items[i].v)
	}
	return out
}
