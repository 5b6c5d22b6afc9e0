package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/infra/local/stack"
	"github.com/zohosync/zohosync/shared/core"
)

// expectedRecords is testdata/e2e-records.json: the CRM after every accepted
// sample has been posted, one at a time. Each record is found by its key;
// each field holds its value, or {"$any": [...]} for a field that may hold
// any of several. A lookup is {"$ref": "<Module>:<Field>=<value>"}: the id of
// the record with that key.
type expectedRecords struct {
	Counts  map[string]int   `json:"counts"`
	Records []expectedRecord `json:"records"`
}

type expectedRecord struct {
	Module string         `json:"module"`
	Key    [2]string      `json:"key"`
	Fields map[string]any `json:"fields"`
}

// TestEndToEndSamples runs the pipeline `make run` runs - the real ingest,
// sync and admin handlers against the emulators and the Zoho simulator -
// posts every accepted sample, and checks each delivery's outcome
// (infra/local/expected.yaml) and each resulting CRM record field by field.
// UPDATE_E2E=1 rewrites the expected records from the run (review the diff).
func TestEndToEndSamples(t *testing.T) {
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	st, err := stack.Up(ctx, stack.Options{Root: root, Emulators: emutest.Get(t), Prefix: emutest.Name("e2e")})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	l, err := launch(ctx, st, stack.ServeOptions{Addr: "127.0.0.1:0", Window: 50 * time.Millisecond}, &syncWriter{w: &logs})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Stop()
	// One delivery at a time, each settled before the next: the CRM's final
	// state is then exact (with all posted at once, the order in which
	// concurrent batches reach Zoho decides which event's value a field
	// keeps).
	settle := func() error { return l.Running.WaitSettled(ctx) }
	if err := postSamplesThen(ctx, root, l.Running.URL, l.Tracker, settle); err != nil {
		t.Fatal(err)
	}
	if err := l.Running.WaitSettled(ctx); err != nil {
		t.Fatalf("samples did not settle: %v", err)
	}
	outcomes := l.Tracker.Outcomes(l.Sim)
	exp, err := stack.LoadExpectations(filepath.Join(root, "infra", "local", "expected.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, miss := range exp.Check(outcomes) {
		t.Errorf("outcome: %s", miss)
	}
	sim := l.Sim.(*simulator)
	got := observed(t, sim, outcomes)
	path := filepath.Join(root, "infra", "local", "testdata", "e2e-records.json")
	if os.Getenv("UPDATE_E2E") == "1" {
		b, _ := json.MarshalIndent(got, "", "  ")
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
	}
	var want expectedRecords
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read expected records (UPDATE_E2E=1 writes them): %v", err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	checkRecords(t, sim, want)
	if t.Failed() {
		t.Logf("function logs:\n%s", logs.String())
	}
}

// checkRecords compares the simulator's records with the expectation.
func checkRecords(t *testing.T, sim *simulator, want expectedRecords) {
	t.Helper()
	for module, n := range want.Counts {
		if got := len(sim.Records(module)); got != n {
			t.Errorf("%s: %d records, want %d (a lost or duplicated record)", module, got, n)
		}
	}
	for _, r := range want.Records {
		rec := findOne(t, sim, r.Module, r.Key[0], r.Key[1])
		if rec == nil {
			continue
		}
		for field, w := range r.Fields {
			g := normalize(rec[field])
			m, _ := w.(map[string]any)
			if ref, ok := m["$ref"]; ok {
				g, w = lookupRef(sim, rec[field]), ref
			}
			if anyOf, ok := m["$any"]; ok {
				if !contains(anyOf.([]any), g) {
					t.Errorf("%s %s=%s: %s = %v, want one of %v", r.Module, r.Key[0], r.Key[1], field, g, anyOf)
				}
				continue
			}
			if !reflect.DeepEqual(g, normalize(w)) {
				t.Errorf("%s %s=%s: %s = %#v, want %#v", r.Module, r.Key[0], r.Key[1], field, g, w)
			}
		}
	}
}

func findOne(t *testing.T, sim *simulator, module, field, value string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, rec := range sim.Records(module) {
		if v, ok := rec[field].(string); ok && strings.EqualFold(v, value) {
			found = append(found, rec)
		}
	}
	if len(found) != 1 {
		t.Errorf("%s with %s=%s: %d records, want exactly 1", module, field, value, len(found))
		return nil
	}
	return found[0]
}

// observed builds the expectation from this run: every record a delivery
// wrote, with the values the events sent. Deliveries are processed one at a
// time in posting order, so the last value written to a field is the one the
// CRM keeps.
func observed(t *testing.T, sim *simulator, outcomes []*stack.Outcome) expectedRecords {
	t.Helper()
	type acc struct {
		module string
		match  []string // match fields of every op that wrote the record
		vals   map[string][]any
	}
	byID := map[string]*acc{}
	keys := map[string]string{} // record id -> "Module:Field=value"
	var order []string
	for _, o := range outcomes {
		if o.Accept != "accepted" {
			continue
		}
		written := map[string]string{} // op id -> record id
		for _, r := range o.Results {
			if r.Outcome == core.Done && r.Op != nil {
				written[r.Op.ID] = r.RecordID
			}
		}
		for _, r := range o.Results {
			if r.Outcome != core.Done || r.Op == nil {
				continue
			}
			a := byID[r.RecordID]
			if a == nil {
				a = &acc{module: r.Op.Module, vals: map[string][]any{}}
				byID[r.RecordID] = a
				order = append(order, r.RecordID)
			}
			a.match = append(a.match, r.Op.Match...)
			for f, v := range r.Op.Fields {
				a.vals[f] = []any{normalize(v)}
			}
			for _, ref := range r.Op.Refs {
				a.vals[ref.Field] = []any{map[string]any{"id": written[ref.Op]}}
			}
		}
	}
	key := func(a *acc) [2]string {
		for _, f := range a.match {
			if vs := a.vals[f]; len(vs) == 1 {
				if v, ok := vs[0].(string); ok && v != "" {
					return [2]string{f, v}
				}
			}
		}
		t.Fatalf("a %s record has no match field value", a.module)
		return [2]string{}
	}
	for _, id := range order {
		k := key(byID[id])
		keys[id] = fmt.Sprintf("%s:%s=%s", byID[id].module, k[0], k[1])
	}
	out := expectedRecords{Counts: map[string]int{}}
	for _, id := range order {
		a := byID[id]
		out.Counts[a.module]++
		rec := expectedRecord{Module: a.module, Key: key(a), Fields: map[string]any{}}
		for f, vs := range a.vals {
			for i, v := range vs {
				if m, ok := v.(map[string]any); ok && m["id"] != nil {
					vs[i] = map[string]any{"$ref": keys[fmt.Sprint(m["id"])]}
				}
			}
			if len(vs) == 1 {
				rec.Fields[f] = vs[0]
			} else {
				rec.Fields[f] = map[string]any{"$any": vs}
			}
		}
		out.Records = append(out.Records, rec)
	}
	sort.SliceStable(out.Records, func(i, j int) bool {
		return out.Records[i].Module+out.Records[i].Key[1] < out.Records[j].Module+out.Records[j].Key[1]
	})
	return out
}

// lookupRef turns a lookup value {"id": ...} into "Module:Field=value" of the
// record it points at.
func lookupRef(sim *simulator, v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return normalize(v)
	}
	id := fmt.Sprint(m["id"])
	for _, module := range []string{"Accounts", "Contacts", "Deals", "Leads"} {
		if rec := sim.Record(module, id); rec != nil {
			for _, f := range []string{"Email", "Account_Name", "Deal_Name", "Stripe_Customer_ID", "Shopify_Customer_ID"} {
				if s, ok := rec[f].(string); ok && s != "" {
					return fmt.Sprintf("%s:%s=%s", module, f, s)
				}
			}
		}
	}
	return "unknown record " + id
}

// normalize passes a value through JSON, so numbers and maps compare alike.
func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}

func contains(vs []any, v any) bool {
	for _, x := range vs {
		if reflect.DeepEqual(normalize(x), normalize(v)) {
			return true
		}
	}
	return false
}

// syncWriter serialises writes from concurrent handlers.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
