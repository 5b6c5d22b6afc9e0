package report

// CreditsPerRecord is zohosync's credits per record of the stream.
func (s *Scenario) CreditsPerRecord() float64 { return per(float64(s.Zoho.Credits), s.Records) }

// CallsPerRecord is zohosync's Zoho calls per record of the stream.
func (s *Scenario) CallsPerRecord() float64 { return per(float64(s.Zoho.Calls), s.Records) }

// NaiveCreditsPerRecord is the naive sender's credits per record.
func (s *Scenario) NaiveCreditsPerRecord() float64 { return per(float64(s.Naive.Credits), s.Records) }

// NaiveCallsPerRecord is the naive sender's calls per record.
func (s *Scenario) NaiveCallsPerRecord() float64 {
	return per(float64(s.Naive.Sender.Calls), s.Records)
}

// CreditsRatio is how many times fewer credits zohosync spent than naive.
func (s *Scenario) CreditsRatio() float64 {
	return ratio(float64(s.Naive.Credits), float64(s.Zoho.Credits))
}

// CallsRatio is how many times fewer calls zohosync made than naive.
func (s *Scenario) CallsRatio() float64 {
	return ratio(float64(s.Naive.Sender.Calls), float64(s.Zoho.Calls))
}

// PerRecordCreditsRatio compares zohosync with one call per record, which
// costs exactly one credit and one call per record.
func (s *Scenario) PerRecordCreditsRatio() float64 {
	return ratio(float64(s.Records), float64(s.Zoho.Credits))
}

// PerRecordCallsRatio is the calls comparison with one call per record.
func (s *Scenario) PerRecordCallsRatio() float64 {
	return ratio(float64(s.Records), float64(s.Zoho.Calls))
}

// ProbeShare is the sync rate over the perfect client's rate in the run.
func (s *Scenario) ProbeShare(l Limits) float64 {
	return ratio(s.Sync.RecordsPerSec, l.ProbeRecordsPerSec)
}

// IngestFloorRatio is the warm ingest p99 over the emulator floor's p99.
func (s *Scenario) IngestFloorRatio() float64 { return ratio(s.Ingest.Latency.P99, s.Ingest.Floor.P99) }

// MinModuleRate is the smallest arrival rate, per minute, of a module
// holding at least a tenth of the stream's records (0 for a burst).
func (s *Scenario) MinModuleRate() float64 {
	total := 0.0
	for _, r := range s.PerModulePerMin {
		total += r
	}
	least := 0.0
	for _, r := range s.PerModulePerMin {
		if r >= total/10 && (least == 0 || r < least) {
			least = r
		}
	}
	return least
}

func per(n float64, records int) float64 {
	if records == 0 {
		return 0
	}
	return n / float64(records)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
