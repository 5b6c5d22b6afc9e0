package report

import (
	"strings"
	"testing"

	"github.com/zohosync/zohosync/infra/bench/awscount"
	"github.com/zohosync/zohosync/infra/bench/naive"
	"github.com/zohosync/zohosync/infra/bench/price"
	"github.com/zohosync/zohosync/infra/bench/stats"
)

// fixture is a report with one paced and one burst scenario: the burst
// meets its credit targets, the paced one misses most.
func fixture() *Report {
	paced := Scenario{Name: "steady", Events: 900, Accepted: 900, Records: 1160, OfferedPerSec: 10,
		PerModulePerMin: map[string]float64{"Contacts": 450, "Deals": 180, "Leads": 150, "Accounts": 36},
		BatchSize:       1000, WindowSeconds: 60, MaxConcurrency: 5,
		Ingest:     Ingest{Latency: stats.Summary{P50: 4, P99: 12}, Floor: stats.Summary{P50: 3, P99: 8}},
		Sync:       Sync{RecordsPerSec: 12, MeanBatch: 120},
		Zoho:       Zoho{Calls: 40, Credits: 140, RecordsPerCall: 29},
		Naive:      NaiveRun{Sender: naive.Stats{Calls: 900}, Credits: 900},
		Throughput: Throughput{LimitRecordsPerSec: 2900, Binding: "concurrency", OfferedRecordsPerSec: 12.9},
		AWS:        AWS{Total: 2.5, TotalHTTPAPI: 3.5, Bill: price.Bill{DynamoWrites: 1.3, SQS: 0.5, Logs: 0.5, LambdaRequests: 0.2}},
	}
	burst := Scenario{Name: "burst", Events: 10000, Accepted: 10000, Records: 10000,
		Ingest:     Ingest{Latency: stats.Summary{P99: 9}, Floor: stats.Summary{P99: 8}},
		Sync:       Sync{RecordsPerSec: 2700, MeanBatch: 1000},
		Zoho:       Zoho{Calls: 100, Credits: 1000, RecordsPerCall: 100, MaxInFlight: 10},
		Naive:      NaiveRun{Sender: naive.Stats{Calls: 10000}, Credits: 10000},
		Throughput: Throughput{LimitRecordsPerSec: 2900, Binding: "concurrency", Share: 2700.0 / 2900},
		AWS: AWS{Total: 1.4, TotalHTTPAPI: 2.4,
			Sync: awscount.Counts{{Service: "DynamoDB", Operation: "PutItem", Requests: 200, WriteUnits: 200}}},
	}
	return &Report{Command: "go run ./infra/bench", Date: "2026-12-04T00:00:00Z",
		Machine:   Machine{Cores: 2, CPU: "Test CPU"},
		Settings:  Settings{ConcurrencyShare: 10, CreditBudget: 30000, Latencies: []Latency{{Class: "write", MeanMs: 343}}},
		Limits:    Limits{ConcurrencyRecordsPerSec: 2916, ProbeRecordsPerSec: 2500},
		Scenarios: []Scenario{paced, burst},
		IngestLatency: IngestLatency{N: 300, Accepted: 320, Handler: stats.Summary{P50: 5, P99: 14},
			Floor: stats.Summary{P50: 3, P99: 9}},
		Functions:    []Function{{Name: "ingest", Bytes: 11_000_000, InitMs: 30}, {Name: "sync", Bytes: 13_000_000, InitMs: 60}},
		InitBaseline: Function{Name: "echo", Bytes: 5_000_000, InitMs: 10},
		Prices:       Prices{Taken: price.Taken, Region: "us-east-1", Items: price.Items()},
	}
}

func TestEvaluate(t *testing.T) {
	got := map[string]Target{}
	for _, tg := range Evaluate(fixture()) {
		got[tg.Name] = tg
	}
	cases := []struct {
		name string
		met  bool
	}{
		{"steady: credits/record", false}, {"steady: credits vs naive", false}, {"steady: calls vs naive", false},
		{"steady: no self-inflicted 429s", true}, {"steady: AWS per million events", false},
		{"burst: credits/record", true}, {"burst: credits vs naive", true}, {"burst: calls vs naive", true},
		{"burst: throughput", true}, {"burst: AWS per million events", true}, {"ingest p99, warm, one at a time", false},
		{"cold init, ingest", true}, {"cold init, sync", false},
		{"bootstrap size, ingest", true}, {"bootstrap size, sync", false},
	}
	for _, c := range cases {
		tg, ok := got[c.name]
		if !ok {
			t.Errorf("no target %q", c.name)
			continue
		}
		if tg.Met != c.met {
			t.Errorf("%s: met = %v, want %v (%s)", c.name, tg.Met, c.met, tg.Measured)
		}
		if !tg.Met && c.name != "cold init, sync" && tg.Why == "" {
			t.Errorf("%s is missed but says not why", c.name)
		}
	}
	if _, ok := got["steady: throughput"]; ok {
		t.Error("a paced stream was judged on saturation throughput")
	}
	if w := got["steady: credits vs naive"].Why; !strings.Contains(w, "0.776") {
		t.Errorf("credits ratio explanation %q lacks the naive sender's credits per record", w)
	}
}

func TestMarkdown(t *testing.T) {
	r := fixture()
	r.Targets = Evaluate(r)
	r.Notes = Findings(r)
	md := Markdown(r)
	for _, want := range []string{
		"# zohosync benchmarks", "2 cores, Test CPU", "## Targets", "| steady | burst |", "## Ingest latency",
		"**6.4× / 22.5×**", "**10.0× / 100.0×**", "## AWS usage and cost", "## Functions", "## Prices",
		"https://airbyte.com", "## Method", "burst: per Zoho call the sync made 2.0 DynamoDB requests",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(md, "%!") {
		t.Errorf("the report has a formatting error:\n%s", md)
	}
}

func TestMinModuleRate(t *testing.T) {
	s := fixture().Scenarios[0]
	if got := s.MinModuleRate(); got != 150 {
		t.Errorf("MinModuleRate = %v, want 150 (Accounts holds under a tenth of the records)", got)
	}
	s.PerModulePerMin = nil
	if got := s.MinModuleRate(); got != 0 {
		t.Errorf("MinModuleRate of a burst = %v, want 0", got)
	}
}
