package account

import (
	"fmt"
	"sort"
	"strings"

	"github.com/zohosync/zohosync/infra/chaos/gen"
)

// DeadLetter is a stored dead letter as the books need it.
type DeadLetter struct {
	EventID  string
	Op       string // "" for a whole-event dead letter
	Code     string
	Attempts int
}

// OpRef names one operation of one event.
type OpRef struct{ Event, Op string }

// Inputs are the witnesses.
type Inputs struct {
	Events []*gen.Event
	// Records are the simulator's records by module.
	Records     map[string][]map[string]any
	DeadLetters []DeadLetter
	// Done holds the operations the sync handler reported done.
	Done map[OpRef]bool
	// Wire returns how often each code was answered for a record key.
	Wire func(key string) map[string]int
	// MaxAttempts is the retry policy's attempt budget.
	MaxAttempts int
}

// maxExamples bounds the problems kept per kind.
const maxExamples = 10

// Report is the books.
type Report struct {
	Events int
	Ops    int
	// Expected are the record keys some operation must have written;
	// Found those the simulator holds.
	Expected, Found int
	// Duplicated counts records beyond one per key.
	Duplicated int
	// Lost counts operations (and events built to fail) with neither a
	// record nor a dead letter.
	Lost int
	// DeadByCode counts the accounted dead letters by code; Designed are
	// those the events were built to earn.
	DeadByCode map[string]int
	Designed   int
	// WrongReason counts dead letters whose code the run cannot justify;
	// Missed counts events built to fail whose record was written instead.
	WrongReason int
	Missed      int
	// Unconfirmed counts synced operations the sync handler never
	// reported done for their event.
	Unconfirmed int
	// Corrupt counts written records with another record's values, or
	// whose lookups point at the wrong record or at none.
	Corrupt int
	// Unexpected counts dead letters for no generated operation; Phantom
	// counts records with no generated key.
	Unexpected int
	Phantom    int
	// Problems describe the first few of each kind.
	Problems []string

	seen map[string]int
}

// OK reports whether every event is accounted for.
func (r *Report) OK() bool {
	return r.Lost == 0 && r.Duplicated == 0 && r.WrongReason == 0 && r.Missed == 0 &&
		r.Unconfirmed == 0 && r.Corrupt == 0 && r.Unexpected == 0 && r.Phantom == 0
}

// Dead is the number of accounted dead letters.
func (r *Report) Dead() int {
	n := 0
	for _, c := range r.DeadByCode {
		n += c
	}
	return n
}

// problem counts and, for the first few of its kind, describes one.
func (r *Report) problem(kind, format string, args ...any) {
	r.seen[kind]++
	if r.seen[kind] <= maxExamples {
		r.Problems = append(r.Problems, kind+": "+fmt.Sprintf(format, args...))
	}
}

// Account settles the books.
func Account(in Inputs) *Report {
	r := &Report{DeadByCode: map[string]int{}, seen: map[string]int{}, Events: len(in.Events)}
	byKey, keyless := indexRecords(in.Records)
	counts := make(map[string]int, len(byKey))
	for k, recs := range byKey {
		counts[k] = len(recs)
	}
	dls := map[OpRef]DeadLetter{}
	for _, d := range in.DeadLetters {
		dls[OpRef{d.EventID, d.Op}] = d
	}
	used := map[OpRef]bool{}
	need := map[string]bool{}
	links := newLinks(in.Events, byKey)
	for _, e := range in.Events {
		b := &book{in: in, r: r, e: e, dls: dls, used: used, counts: counts, need: need, byKey: byKey, links: links}
		b.settle()
	}
	links.check(r)
	r.Expected = len(need)
	for k := range need {
		if counts[k] > 0 {
			r.Found++
		}
	}
	r.tally(in, counts, keyless, need, dls, used)
	return r
}

// tally counts duplicates, phantoms and unexpected dead letters.
func (r *Report) tally(in Inputs, counts map[string]int, keyless int, need map[string]bool, dls map[OpRef]DeadLetter, used map[OpRef]bool) {
	known := map[string]bool{}
	for _, e := range in.Events {
		for _, op := range e.Ops {
			known[op.Key] = true
		}
	}
	for _, k := range sortedKeys(counts) {
		if n := counts[k]; n > 1 {
			r.Duplicated += n - 1
			r.problem("duplicated", "%d records with key %s", n, k)
		}
		if !known[k] {
			r.Phantom += counts[k]
			r.problem("phantom", "record %s belongs to no generated event", k)
		}
	}
	if keyless > 0 {
		r.Phantom += keyless
		r.problem("phantom", "%d records without a key field", keyless)
	}
	for ref, d := range dls {
		if !used[ref] {
			r.Unexpected++
			r.problem("unexpected", "dead letter %s for event %s op %q matches no generated operation", d.Code, ref.Event, ref.Op)
		}
	}
}

// indexRecords groups the simulator's records by key.
func indexRecords(records map[string][]map[string]any) (map[string][]map[string]any, int) {
	byKey, keyless := map[string][]map[string]any{}, 0
	for module, recs := range records {
		for _, rec := range recs {
			if k, ok := gen.RecordKey(module, rec); ok {
				byKey[k] = append(byKey[k], rec)
			} else {
				keyless++
			}
		}
	}
	return byKey, keyless
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// codesText renders a wire record's codes for a problem line.
func codesText(codes map[string]int) string {
	if len(codes) == 0 {
		return "never sent"
	}
	parts := make([]string, 0, len(codes))
	for _, c := range sortedKeys(codes) {
		parts = append(parts, fmt.Sprintf("%s×%d", c, codes[c]))
	}
	return strings.Join(parts, " ")
}
