package faultrun

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/zohosync/zohosync/infra/chaos/account"
	"github.com/zohosync/zohosync/infra/chaos/scan"
	"github.com/zohosync/zohosync/infra/chaos/tap"
	"github.com/zohosync/zohosync/infra/zohosim"
)

// Result is what a run found.
type Result struct {
	Options Options
	Books   *account.Report
	Scan    scan.Result
	// Intake: HTTP posts made, duplicate deliveries answered "duplicate",
	// deliveries refused for good, events never accepted and events
	// enqueued twice.
	Posts, Duplicates, Refused, NeverAccepted, EnqueuedTwice int
	// Retries are operations the sync handler requeued, by the problem's
	// code; Results all the outcomes it reported.
	Retries map[string]int
	Results int
	// Wire is what the tap counted; Sim the simulator's own counters.
	Wire tap.Stats
	Sim  zohosim.Stats
	// Kills, mid-batch ones among them, and the other disturbances done;
	// invalidations left out to stay within the mint limit.
	Kills, MidBatch      int
	Disturbed            map[string]int
	SkippedInvalidations int
	// Stuck are messages left on the events queue and its dead-letter
	// queue after the drain.
	Stuck, Poison int
	// Problems are the run's own failures (a drain that timed out, a
	// worker that exited on its own, a fault that could not be set).
	Problems []string
	StopErr  error

	SetUp, Posting, Drain, Elapsed time.Duration
}

// collect gathers the counts after the workers stopped.
func (r *Result) collect(ctx context.Context, s *stage, fl *fleet, d *disturber, snd *sender, settleErr error) error {
	if settleErr != nil {
		r.Problems = append(r.Problems, settleErr.Error())
	}
	q, err := s.depth(ctx, s.queueURL())
	if err != nil {
		return err
	}
	dlq, err := s.depth(ctx, s.dlqURL())
	if err != nil {
		return err
	}
	r.Stuck, r.Poison = q.total(), dlq.total()
	books, dlPath, err := books(ctx, r.Options, s, fl, snd.events)
	if err != nil {
		return err
	}
	r.Books = books
	if r.Scan, err = scanLogs(r.Options, s, fl, dlPath); err != nil {
		return err
	}
	r.Posts, r.Duplicates, r.Refused = int(snd.deliveries.Load()), int(snd.dupOK.Load()), int(snd.refused.Load())
	r.NeverAccepted, r.EnqueuedTwice = snd.intake()
	r.Problems = append(r.Problems, snd.problems...)
	r.Wire, r.Sim, r.Disturbed = s.tap.Stats(), s.sim.Stats(), d.counts()
	d.mu.Lock()
	r.SkippedInvalidations = d.skipped
	d.mu.Unlock()
	fl.mu.Lock()
	defer fl.mu.Unlock()
	r.Retries = make(map[string]int, len(fl.retries))
	for k, v := range fl.retries {
		r.Retries[k] = v
	}
	r.Results, r.Kills, r.MidBatch = fl.results, fl.kills, fl.midBatch
	for _, e := range fl.exits {
		r.Problems = append(r.Problems, e.Error())
	}
	for _, e := range d.errs {
		r.Problems = append(r.Problems, e.Error())
	}
	return nil
}

// OK reports whether the run proved its claim: every event accounted for,
// nothing duplicated, stuck or leaked, and the run itself sound.
func (r *Result) OK() bool {
	return r.Books != nil && r.Books.OK() && len(r.Scan.Findings) == 0 && r.Stuck == 0 && r.Poison == 0 &&
		r.Refused == 0 && r.NeverAccepted == 0 && len(r.Problems) == 0
}

// Print writes the table.
func (r *Result) Print(w io.Writer) {
	b, o := r.Books, r.Options
	row := func(name string, format string, args ...any) {
		fmt.Fprintf(w, "  %-34s %s\n", name, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(w, "zohosync fault run: %d events, seed %d, %d workers; set up %s, posting %s, drain %s, total %s\n",
		o.Events, o.Seed, o.Workers, round(r.SetUp), round(r.Posting), round(r.Drain), round(r.Elapsed))
	row("events", "%d (%d operations)", b.Events, b.Ops)
	row("deliveries posted", "%d (%d answered duplicate, %d events enqueued twice, %d refused)",
		r.Posts, r.Duplicates, r.EnqueuedTwice, r.Refused)
	row("records expected / found", "%d / %d", b.Expected, b.Found)
	row("duplicated", "%d", b.Duplicated)
	row("lost", "%d", b.Lost)
	row("dead-lettered", "%d (%d built to fail)", b.Dead(), b.Designed)
	for _, c := range sortedCodes(b.DeadByCode) {
		row("  "+c, "%d", b.DeadByCode[c])
	}
	row("wrong reason / missed", "%d / %d", b.WrongReason, b.Missed)
	row("corrupt (values, lookups)", "%d", b.Corrupt)
	row("unconfirmed / unexpected / phantom", "%d / %d / %d", b.Unconfirmed, b.Unexpected, b.Phantom)
	row("stuck / poison messages", "%d / %d", r.Stuck, r.Poison)
	row("retries (operations requeued)", "%d: %s", sum(r.Retries), codeText(r.Retries))
	row("Zoho API calls", "%d (%s; client timeouts %d, dropped %d)", r.Wire.Calls, statusText(r.Wire.ByStatus), r.Wire.GaveUp, r.Wire.Dropped)
	row("429s", "%d", r.Wire.ByStatus[429])
	row("calls by endpoint", "%s", endpointText(r.Sim.Calls))
	row("per-record answers", "%s", codeText(r.Sim.RecordResults))
	row("token mints / invalidations", "%d / %d%s", r.Wire.Mints, r.Disturbed[actInvalidate], skippedText(r.SkippedInvalidations))
	row("worker kills (mid-batch)", "%d (%d)", r.Kills, r.MidBatch)
	row("bursts (429 / RECORD_LOCKED)", "%d / %d", r.Disturbed[act429], r.Disturbed[actLocked])
	row("credits spent", "%d", r.Sim.CreditsSpent)
	row("secrets checked / leaked", "%d / %d in %d files, %.1f MB", r.Scan.Secrets, len(r.Scan.Findings), r.Scan.Files, float64(r.Scan.Bytes)/1e6)
	for _, p := range b.Problems {
		fmt.Fprintln(w, "  !", p)
	}
	for _, f := range r.Scan.Findings[:min(len(r.Scan.Findings), 10)] {
		fmt.Fprintln(w, "  ! leaked:", f)
	}
	for _, p := range r.Problems {
		fmt.Fprintln(w, "  !", p)
	}
	verdict := "OK: every event accounted for, nothing duplicated, stuck or leaked"
	if !r.OK() {
		verdict = "FAILED"
	}
	fmt.Fprintln(w, verdict)
}

// endpointText renders the simulator's call counts per endpoint.
func endpointText(calls map[string]map[int]int) string {
	byEndpoint := map[string]int{}
	for ep, byStatus := range calls {
		for _, n := range byStatus {
			byEndpoint[ep] += n
		}
	}
	return codeText(byEndpoint)
}

func skippedText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d more skipped: at most %d per %s, within zohosync's mint limit)", n, invalidationBudget, mintWindow)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func round(d time.Duration) time.Duration { return d.Round(100 * time.Millisecond) }

func sortedCodes(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func codeText(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for _, k := range sortedCodes(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func statusText(m map[int]int) string {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
