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
	return fmt.Sprintf("the limit assumes %d calls of 100 records always in flight; the run kept at most %d units "+
		"in flight at %.1f records per call, with %d sync invocations at a time holding batches of %.0f messages "+
		"on average (a perfect client got %.0f records/s from the same simulator, %.0f%% of the limit)",
		r.Settings.ConcurrencyShare, s.Zoho.MaxInFlight, s.Zoho.RecordsPerCall, s.MaxConcurrency, s.Sync.MeanBatch,
		r.Limits.ProbeRecordsPerSec, 100*ratio(r.Limits.ProbeRecordsPerSec, r.Limits.ConcurrencyRecordsPerSec))
}

func ingestWhy(s *Scenario) string {
	if s.Ingest.Latency.P99 <= TargetIngestP99Ms {
		return ""
	}
	return fmt.Sprintf("the three emulator round trips alone take %.1f ms at p99 here (%.1f ms at p50); "+
		"the handler's p50 is %.1f ms", s.Ingest.Floor.P99, s.Ingest.Floor.P50, s.Ingest.Latency.P50)
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
