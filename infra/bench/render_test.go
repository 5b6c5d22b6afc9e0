package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/infra/bench/report"
)

// TestRerender rewrites a report from its JSON: the Markdown appears and
// the targets are judged again.
func TestRerender(t *testing.T) {
	dir := t.TempDir()
	rep := report.Report{Date: "2026-12-04T00:00:00Z", Functions: []report.Function{{Name: "ingest", Bytes: 13_000_000, InitMs: 5}},
		Failures: []string{"scenario burst: boom"}}
	b, _ := json.Marshal(rep)
	path := filepath.Join(dir, "benchmarks.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := rerender(path); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "BENCHMARKS.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**Failed:** scenario burst: boom", "| bootstrap size, ingest | ≤ 12 MB | 13.0 MB", "| cold init, ingest | ≤ 50 ms"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the rewritten report lacks %q", want)
		}
	}
	var back report.Report
	b, _ = os.ReadFile(path)
	if err := json.Unmarshal(b, &back); err != nil || len(back.Targets) != 2 {
		t.Errorf("rewritten JSON has %d targets (err %v), want 2", len(back.Targets), err)
	}
	if err := rerender(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("rerender of a missing file succeeded")
	}
}
