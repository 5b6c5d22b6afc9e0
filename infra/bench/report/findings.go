package report

import (
	"fmt"
	"strings"

	"github.com/zohosync/zohosync/infra/bench/price"
)

// Findings lists what the figures show about zohosync's own overheads:
// AWS requests per Zoho call, requeues, unused concurrency and log volume.
func Findings(r *Report) []string {
	var out []string
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		out = append(out, stateCost(s), ingestCost(s))
		if n := s.Sync.Requeued; n > 0 {
			out = append(out, fmt.Sprintf("%s: %d operations were requeued (%s) and written on a later attempt",
				s.Name, n, codes(s.Sync.RequeueCodes)))
		}
		if s.Name == "burst" || s.OfferedPerSec == 0 {
			if s.Zoho.MaxInFlight < r.Settings.ConcurrencyShare {
				out = append(out, fmt.Sprintf("%s: at most %d of the %d concurrency units zohosync may hold were in flight "+
					"while %d messages waited; each sync invocation sends its calls stage by stage, and %d invocations ran at once",
					s.Name, s.Zoho.MaxInFlight, r.Settings.ConcurrencyShare, s.Accepted, s.MaxConcurrency))
			}
		}
		if s.AWS.Total > 0 {
			out = append(out, fmt.Sprintf("%s: functions wrote %.0f log bytes per event (%.0f ingest, %.0f sync), $%.2f of the $%.2f per million events",
				s.Name, s.AWS.PerEvent.LogBytes, per(float64(s.AWS.IngestLogBytes), s.Accepted),
				per(float64(s.AWS.SyncLogBytes), s.Accepted), s.AWS.Bill.Logs, s.AWS.Total))
		}
	}
	return out
}

// stateCost relates the sync's DynamoDB use to its Zoho calls.
func stateCost(s *Scenario) string {
	var reqs int
	var wru, rru float64
	var ops []string
	for _, o := range s.AWS.Sync {
		if o.Service != "DynamoDB" {
			continue
		}
		reqs += o.Requests
		wru += o.WriteUnits + o.EstimatedWriteUnits
		rru += o.ReadUnits
		ops = append(ops, fmt.Sprintf("%s %.2f", o.Operation, ratio(float64(o.Requests), float64(s.Zoho.Calls))))
	}
	return fmt.Sprintf("%s: per Zoho call the sync made %.1f DynamoDB requests (%s) for %.1f write and %.1f read units",
		s.Name, ratio(float64(reqs), float64(s.Zoho.Calls)), strings.Join(ops, ", "),
		ratio(wru, float64(s.Zoho.Calls)), ratio(rru, float64(s.Zoho.Calls)))
}

func codes(m map[string]int) string { return joinSorted(m, "%s × %d") }

// ingestCost is what the ingest function's state writes cost per event.
func ingestCost(s *Scenario) string {
	var wru float64
	var ops []string
	for _, o := range s.AWS.Ingest {
		if o.Service != "DynamoDB" {
			continue
		}
		wru += o.WriteUnits + o.EstimatedWriteUnits
		ops = append(ops, fmt.Sprintf("%s %.2f", o.Operation, per(float64(o.Requests), s.Accepted)))
	}
	w := per(wru, s.Accepted)
	return fmt.Sprintf("%s: ingest wrote %.2f DynamoDB write units per event (%s), $%.2f per million events on its own",
		s.Name, w, strings.Join(ops, ", "), w*price.DynamoWritePerMillion)
}
