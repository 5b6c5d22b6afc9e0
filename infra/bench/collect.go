package main

import (
	"math"
	"time"

	"github.com/zohosync/zohosync/infra/bench/awscount"
	"github.com/zohosync/zohosync/infra/bench/price"
	"github.com/zohosync/zohosync/infra/bench/report"
	"github.com/zohosync/zohosync/infra/bench/stats"
)

// report assembles what the run measured (the naive side is added later).
func (r *run) report(b *bench) report.Scenario {
	d, sc := r.d, r.sc
	ts := d.track.stats(r.start)
	out := report.Scenario{
		Name: sc.name, Description: sc.description, Events: len(r.events), Accepted: r.sent.accepted,
		Records: r.records(), BatchSize: r.esm.BatchSize, WindowSeconds: r.esm.Window.Seconds(),
		MaxConcurrency: r.esm.MaxConcurrency, PerModulePerMin: r.perModule(),
	}
	if sent := r.sent.last.Sub(r.sent.first).Seconds(); sc.perSecond > 0 && sent > 0 {
		out.OfferedPerSec = float64(len(r.events)) / sent
	}
	out.Ingest = r.ingest()
	out.Sync = r.syncSide(ts)
	out.Zoho = r.zoho()
	out.Throughput = r.throughput(b, out)
	out.AWS = r.aws()
	return out
}

// records counts the operations the accepted events map to.
func (r *run) records() int {
	n := 0
	for _, e := range r.events {
		n += e.ops
	}
	return n
}

// perModule is the arrival rate of records per module, per minute.
func (r *run) perModule() map[string]float64 {
	mins := r.sent.last.Sub(r.sent.first).Minutes()
	if r.sc.perSecond == 0 || mins <= 0 {
		return nil
	}
	out := map[string]float64{}
	for _, ops := range r.ops {
		for _, op := range ops {
			out[op.Module] += 1 / mins
		}
	}
	return out
}

func (r *run) ingest() report.Ingest {
	p := r.d.ingest.snapshot()
	secs := r.sent.last.Sub(r.sent.first).Seconds()
	in := report.Ingest{Latency: stats.Summarize(r.d.ingest.warm.Values()), Floor: stats.Summarize(r.floor),
		Containers: p.containers, Rejected: r.sent.rejected + r.sent.failed + r.sent.mismatched}
	if secs > 0 {
		in.EventsPerSec = float64(r.sent.accepted) / secs
	}
	return in
}

func (r *run) syncSide(ts trackerStats) report.Sync {
	p := r.d.sync.snapshot()
	s := report.Sync{RecordsSynced: ts.records, DeadLettered: ts.deadOps, Requeued: ts.requeued, RequeueCodes: ts.codes,
		Invocations: p.invocations, Containers: p.containers, Duration: stats.Summarize(r.d.sync.all()),
		ToCRM: stats.Summarize(ts.toCRM)}
	for _, d := range r.d.sync.all() {
		s.BusySeconds += d.Seconds()
	}
	if s.DrainSeconds = ts.last.Sub(r.start).Seconds(); s.DrainSeconds > 0 {
		s.RecordsPerSec = float64(ts.records) / s.DrainSeconds
	}
	r.batches.mu.Lock()
	defer r.batches.mu.Unlock()
	total := 0
	for _, n := range r.batches.sizes {
		total += n
		s.MaxBatch = max(s.MaxBatch, n)
	}
	if len(r.batches.sizes) > 0 {
		s.MeanBatch = float64(total) / float64(len(r.batches.sizes))
	}
	return s
}

func (r *run) zoho() report.Zoho {
	st := r.d.sim.Stats()
	calls, by := apiCalls(st)
	z := report.Zoho{Calls: calls, CallsByKind: by, Credits: st.CreditsSpent, MaxInFlight: st.MaxInFlight,
		MaxSubInFlight: st.MaxSubInFlight, TooMany: count429(st), Refused: st.Refused,
		TokenMints: st.TokenMintsTotal - r.d.mintsAtConnect, RecordErrors: st.RecordResults}
	written := 0
	for _, n := range st.RecordResults {
		written += n
	}
	if calls > 0 {
		z.RecordsPerCall = float64(written) / float64(calls)
	}
	return z
}

// throughput compares the sync rate with the binding limit: the
// concurrency limit, or the credit budget spread over the drain time.
func (r *run) throughput(b *bench, s report.Scenario) report.Throughput {
	t := report.Throughput{LimitRecordsPerSec: b.concurrencyLimit(), Binding: "concurrency"}
	if s.Sync.DrainSeconds > 0 {
		if c := float64(b.limits.Budget) * 10 / s.Sync.DrainSeconds; c < t.LimitRecordsPerSec {
			t.LimitRecordsPerSec, t.Binding = c, "credits"
		}
	}
	if r.sc.perSecond > 0 {
		if secs := r.sent.last.Sub(r.sent.first).Seconds(); secs > 0 {
			t.OfferedRecordsPerSec = float64(s.Records) / secs
		}
	}
	if t.LimitRecordsPerSec > 0 {
		t.Share = s.Sync.RecordsPerSec / t.LimitRecordsPerSec
	}
	return t
}

// aws sums the counted requests and prices them per million events.
func (r *run) aws() report.AWS {
	d := r.d
	a := report.AWS{Ingest: d.ingestAWS.Snapshot(), Sync: d.syncAWS.Snapshot(), Poller: d.pollerAWS.Snapshot(),
		IngestLogBytes: d.ingestLogs.n.Load(), SyncLogBytes: d.syncLogs.n.Load()}
	all := append(append(append(awscount.Counts{}, a.Ingest...), a.Sync...), a.Poller...)
	a.Totals = all.Totals()
	in, sy := d.ingest.snapshot(), d.sync.snapshot()
	httpAPI := 0
	for _, n := range r.sent.bodyBytes {
		httpAPI += price.Chunks(int64(n), price.HTTPAPIChunkBytes)
	}
	a.Usage = price.Usage{Events: r.sent.accepted, LambdaRequests: in.invocations + sy.invocations,
		GBSeconds: in.gbSeconds + sy.gbSeconds, SQSRequests: a.Totals.SQSChunks, WriteUnits: a.Totals.WriteUnits,
		ReadUnits: a.Totals.ReadUnits, HTTPAPIRequests: httpAPI, LogBytes: a.IngestLogBytes + a.SyncLogBytes}
	a.Bill = price.PerMillion(a.Usage)
	a.Total, a.TotalHTTPAPI = a.Bill.Total(), a.Bill.TotalHTTPAPI()
	if n := float64(r.sent.accepted); n > 0 {
		u := a.Usage
		a.PerEvent = report.PerEvent{LambdaInvocations: float64(u.LambdaRequests) / n, GBSeconds: u.GBSeconds / n,
			SQSRequests: float64(u.SQSRequests) / n, DynamoRequests: float64(a.Totals.DynamoRequests) / n,
			WriteUnits: u.WriteUnits / n, ReadUnits: u.ReadUnits / n, LogBytes: float64(u.LogBytes) / n,
			FrontDoorRequests: float64(len(r.sent.bodyBytes)) / n}
	}
	return a
}

// concurrencyLimit is share × 100 records per call / mean write latency.
func (b *bench) concurrencyLimit() float64 {
	return float64(b.limits.Concurrency) * 100 / b.meanWrite().Seconds()
}

// meanWrite is the write latency model's mean: for a lognormal, median ×
// exp(σ²/2) with σ = ln(p99/median) / z(0.99).
func (b *bench) meanWrite() time.Duration {
	return meanOf(b.latencies.Write.Kind, b.latencies.Write.Median, b.latencies.Write.P99)
}

func meanOf(kind string, median, p99 time.Duration) time.Duration {
	if kind != "lognormal" {
		return median
	}
	sigma := math.Log(float64(p99)/float64(median)) / 2.3263478740408408
	return time.Duration(float64(median) * math.Exp(sigma*sigma/2))
}
