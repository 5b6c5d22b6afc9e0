package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/zohosync/zohosync/infra/bench/awscount"
)

func awsSection(r *Report) string {
	if len(r.Scenarios) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("## AWS usage and cost\n\nCounted by a middleware on every SDK client of the functions and of the event source mapping " +
		"(DynamoDB capacity as DynamoDB Local reports it with ReturnConsumedCapacity; SQS billable requests by 64 KB chunk, " +
		"without the receives fauxqs ends early and empty — it wakes every waiting long poll when one message arrives, " +
		"where SQS keeps the others waiting), " +
		"Lambda GB-s from each measured invocation (rounded up to 1 ms) × the template's memory, " +
		fmt.Sprintf("priced with us-east-1 list prices taken %s (see Prices). Per event = divided by accepted webhooks.\n\n", r.Prices.Taken))
	t := newMetricTable("per event", r.Scenarios)
	t.row("front door requests", func(s *Scenario) string { return f3(s.AWS.PerEvent.FrontDoorRequests) })
	t.row("Lambda invocations", func(s *Scenario) string { return f3(s.AWS.PerEvent.LambdaInvocations) })
	t.row("Lambda GB-s", func(s *Scenario) string { return fmt.Sprintf("%.5f", s.AWS.PerEvent.GBSeconds) })
	t.row("SQS billable requests", func(s *Scenario) string { return f3(s.AWS.PerEvent.SQSRequests) })
	t.row("(early empty receives, not billed)", func(s *Scenario) string {
		return f3(per(float64(s.AWS.Totals.SQSEarlyEmpty), s.Accepted))
	})
	t.row("DynamoDB requests", func(s *Scenario) string { return f3(s.AWS.PerEvent.DynamoRequests) })
	t.row("DynamoDB write / read units", func(s *Scenario) string {
		return fmt.Sprintf("%.2f / %.2f", s.AWS.PerEvent.WriteUnits, s.AWS.PerEvent.ReadUnits)
	})
	t.row("log bytes", func(s *Scenario) string { return fmt.Sprintf("%.0f", s.AWS.PerEvent.LogBytes) })
	t.row("**$ per million events**", func(*Scenario) string { return "" })
	t.row("Lambda requests", func(s *Scenario) string { return usd(s.AWS.Bill.LambdaRequests) })
	t.row("Lambda duration", func(s *Scenario) string { return usd(s.AWS.Bill.LambdaDuration) })
	t.row("SQS", func(s *Scenario) string { return usd(s.AWS.Bill.SQS) })
	t.row("DynamoDB writes", func(s *Scenario) string { return usd(s.AWS.Bill.DynamoWrites) })
	t.row("DynamoDB reads", func(s *Scenario) string { return usd(s.AWS.Bill.DynamoReads) })
	t.row("CloudWatch Logs", func(s *Scenario) string { return usd(s.AWS.Bill.Logs) })
	t.row("**total, Function URL**", func(s *Scenario) string { return "**" + usd(s.AWS.Total) + "**" })
	t.row("HTTP API adds", func(s *Scenario) string { return usd(s.AWS.Bill.HTTPAPI) })
	t.row("total, HTTP API", func(s *Scenario) string { return usd(s.AWS.TotalHTTPAPI) })
	fmt.Fprintf(&b, "%s\n", t.String())
	b.WriteString("Requests per event by function and operation (receives include the emulator's early empty ones):\n\n")
	b.WriteString(operationTable(r).String())
	b.WriteString("\nNot in the totals: the refresh function (a scheduled invocation every 10 minutes, independent of traffic), " +
		"the KMS key of the state table, Lambda's own START/END/REPORT log lines, data transfer, and free tiers (none are applied).\n\n")
	return b.String()
}

// operationTable has a row per function and operation with its requests
// per accepted event in each scenario.
func operationTable(r *Report) *table {
	type key struct{ fn, op string }
	rows := map[key]map[string]float64{}
	for _, s := range r.Scenarios {
		for fn, cs := range map[string]awscount.Counts{"ingest": s.AWS.Ingest, "sync": s.AWS.Sync, "event source mapping": s.AWS.Poller} {
			for _, o := range cs {
				k := key{fn, o.Service + " " + o.Operation}
				if rows[k] == nil {
					rows[k] = map[string]float64{}
				}
				rows[k][s.Name] = per(float64(o.Requests), s.Accepted)
			}
		}
	}
	keys := make([]key, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].fn != keys[j].fn {
			return keys[i].fn < keys[j].fn
		}
		return keys[i].op < keys[j].op
	})
	t := &table{head: []string{"function", "request"}}
	for _, s := range r.Scenarios {
		t.head = append(t.head, s.Name)
	}
	for _, k := range keys {
		cells := []string{k.fn, k.op}
		for _, s := range r.Scenarios {
			cells = append(cells, f3(rows[k][s.Name]))
		}
		t.add(cells...)
	}
	return t
}

func f3(v float64) string  { return fmt.Sprintf("%.3f", v) }
func usd(v float64) string { return fmt.Sprintf("$%.3f", v) }
