package report

import "fmt"

// The Why texts explain a miss from the run's own figures. They are empty
// when the target is met.

func creditsWhy(s *Scenario) string {
	if s.CreditsPerRecord() <= TargetCreditsPerRecord {
		return ""
	}
	return fmt.Sprintf("a call of n records costs ceil(n/10) credits, so only full tens reach 0.100; calls carried %.1f records "+
		"on average because the sync saw batches of %.1f messages (window %.0f s, batch size %d, %d pollers splitting the stream)",
		s.Zoho.RecordsPerCall, s.Sync.MeanBatch, s.WindowSeconds, s.BatchSize, s.MaxConcurrency)
}

func creditsRatioWhy(s *Scenario) string {
	if s.CreditsRatio() >= TargetCreditsRatio {
		return ""
	}
	floor := 0.1
	return fmt.Sprintf("the naive sender pays %.3f credits/record (one credit per event; a chain travels as one composite), "+
		"and zohosync cannot go below %.3f, so the best possible ratio on this stream is %.1f× before coalescing; "+
		"zohosync reached %.4f credits/record", s.NaiveCreditsPerRecord(), floor, s.NaiveCreditsPerRecord()/floor, s.CreditsPerRecord())
}

func callsWhy(s *Scenario) string {
	if s.CallsRatio() >= TargetCallsRatio {
		return ""
	}
	return fmt.Sprintf("%.1f records per call (95× needs about %.0f with the naive sender's %.3f calls/record); "+
		"calls are bounded by the batches the sync receives (mean %.1f messages) split by module and dependency stage",
		s.Zoho.RecordsPerCall, TargetCallsRatio/s.NaiveCallsPerRecord(), s.NaiveCallsPerRecord(), s.Sync.MeanBatch)
}

func throughputWhy(r *Report, s *Scenario) string {
	t := s.Throughput
	if s.Zoho.TooMany > 0 {
		return fmt.Sprintf("Zoho answered %d calls with 429 (%v)", s.Zoho.TooMany, s.Zoho.Refused)
	}
	if s.OfferedPerSec > 0 || t.Share >= TargetThroughputShare {
		return ""
	}
	if t.Binding == "credits" {
		return fmt.Sprintf("the credit budget (%d) spread over the %.0f s drain binds first", r.Settings.CreditBudget, s.Sync.DrainSeconds)
	}
	zoho := float64(s.Zoho.Calls) * meanWrite(r.Settings) / 1000 / float64(r.Settings.ConcurrencyShare)
	busy := ratio(s.Sync.BusySeconds, s.Sync.DrainSeconds*float64(s.MaxConcurrency))
	return fmt.Sprintf("the limit assumes %d calls of 100 records always in flight; the run averaged %.1f records per call, "+
		"so its %d calls needed at least %.1f s of Zoho time at %d units, and the drain took %.1f s: the %d sync slots were busy "+
		"%.0f%% of it (the rest: the event source mapping receiving batches of %.0f messages ten at a time, and deleting them), "+
		"and inside an invocation calls wait for the previous stage and for ledger slots; a perfect client got %.0f records/s "+
		"from the same simulator in this run (%.0f%% of the limit)", r.Settings.ConcurrencyShare, s.Zoho.RecordsPerCall,
		s.Zoho.Calls, zoho, r.Settings.ConcurrencyShare, s.Sync.DrainSeconds, s.MaxConcurrency, 100*busy, s.Sync.MeanBatch,
		r.Limits.ProbeRecordsPerSec, 100*ratio(r.Limits.ProbeRecordsPerSec, r.Limits.ConcurrencyRecordsPerSec))
}

func ingestWhy(l IngestLatency) string {
	if l.Handler.P99 <= TargetIngestP99Ms {
		return ""
	}
	return fmt.Sprintf("the three emulator round trips alone (PutItem, SendMessage, UpdateItem) took %.1f ms at p99 "+
		"(%.1f ms at p50) on this machine at the same moments; the handler adds %.1f ms at p50",
		l.Floor.P99, l.Floor.P50, l.Handler.P50-l.Floor.P50)
}

func costWhy(s *Scenario) string {
	if s.AWS.Total <= TargetCostPerMillion {
		return ""
	}
	p := s.AWS.PerEvent
	return fmt.Sprintf("largest items: %s; per event %.2f DynamoDB write units, %.2f SQS requests, %.0f log bytes",
		biggest(s, 3), p.WriteUnits, p.SQSRequests, p.LogBytes)
}

func sizeWhy(f Function, echo Function) string {
	if f.Bytes <= TargetBootstrapBytes {
		return ""
	}
	return fmt.Sprintf("a minimal Go Lambda function is %.1f MB with the same flags; the rest is zohosync and the AWS SDK", mb(echo.Bytes))
}
