package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/chaos/faultrun"
	"github.com/zohosync/zohosync/infra/chaos/worker"
	"github.com/zohosync/zohosync/infra/local/emu/emutest"
)

// envRole makes the re-executed test binary a sync worker.
const envRole = "ZOHOSYNC_CHAOS_ROLE"

func TestMain(m *testing.M) {
	if os.Getenv(envRole) == "worker" {
		os.Exit(worker.Main())
	}
	os.Exit(emutest.Run(m))
}

// TestFaultRun is the short form of the fault run: 1,200 events through the
// real handlers and emulators while Zoho fails in every way the simulator
// knows and sync workers are killed mid-batch. Nothing may be lost,
// duplicated, wrongly dead-lettered, stuck or leaked; and the faults must
// really have happened, so the test cannot pass by accident.
func TestFaultRun(t *testing.T) {
	em := emutest.Get(t)
	dir, err := os.MkdirTemp("", "zohosync-chaos-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := faultrun.Run(ctx, faultrun.Options{
		Events: 1200, Seed: 1, Dir: dir, Emulators: em, SettleTimeout: 4 * time.Minute,
		Worker: []string{os.Args[0]}, WorkerEnv: []string{envRole + "=worker"},
		Progress: testWriter{t},
	})
	if err != nil {
		t.Fatalf("fault run: %v (logs in %s)", err, dir)
	}
	var table strings.Builder
	res.Print(&table)
	t.Log("\n" + table.String())
	checkAccounted(t, res)
	checkDisturbed(t, res)
	if t.Failed() {
		t.Logf("logs kept in %s", dir)
		return
	}
	os.RemoveAll(dir)
}

func checkAccounted(t *testing.T, r *faultrun.Result) {
	t.Helper()
	b := r.Books
	counts := []struct {
		name string
		got  int
	}{
		{"lost", b.Lost}, {"duplicated", b.Duplicated}, {"wrong reason", b.WrongReason}, {"missed", b.Missed},
		{"unconfirmed", b.Unconfirmed}, {"corrupt records", b.Corrupt},
		{"unexpected dead letters", b.Unexpected}, {"phantom records", b.Phantom},
		{"stuck messages", r.Stuck}, {"poison messages", r.Poison}, {"refused deliveries", r.Refused},
		{"events never accepted", r.NeverAccepted}, {"secrets leaked", len(r.Scan.Findings)},
	}
	for _, c := range counts {
		if c.got != 0 {
			t.Errorf("%s = %d, want 0", c.name, c.got)
		}
	}
	for _, p := range r.Problems {
		t.Errorf("run problem: %s", p)
	}
	if b.Events != 1200 || b.Found != b.Expected || b.Expected == 0 {
		t.Errorf("events %d, records found %d of %d; want 1200 events and every record", b.Events, b.Found, b.Expected)
	}
}

// checkDisturbed makes sure the faults happened and were seen.
func checkDisturbed(t *testing.T, r *faultrun.Result) {
	t.Helper()
	atLeast := []struct {
		name     string
		got, min int
	}{
		{"worker kills", r.Kills, 3}, {"kills mid-batch", r.MidBatch, 1},
		{"429 answers", r.Wire.ByStatus[429], 1}, {"500 answers", r.Wire.ByStatus[500], 1},
		{"207 answers", r.Wire.ByStatus[207], 1}, {"client timeouts", r.Wire.GaveUp, 1},
		{"token invalidations", r.Disturbed["invalidate"], 3}, {"refused tokens (401)", r.Wire.ByStatus[401], 1},
		{"token mints", r.Wire.Mints, 2},
		{"retries", len(r.Retries), 1}, {"duplicate deliveries", r.Duplicates, 1},
		{"dead letters built to fail", r.Books.Designed, 1}, {"secrets scanned for", r.Scan.Secrets, 8},
	}
	for _, c := range atLeast {
		if c.got < c.min {
			t.Errorf("%s = %d, want at least %d: the run did not disturb what it claims", c.name, c.got, c.min)
		}
	}
	for _, code := range []string{"INVALID_DATA", "MANDATORY_NOT_FOUND", "DUPLICATE_DATA", "MULTIPLE_OR_MULTI_ERRORS",
		"DEPENDENT_FIELD_MISSING", "RECORD_LOCKED", "NOT_APPROVED", "ALREADY_MODIFIED", "LIMIT_EXCEEDED",
		"INTERNAL_ERROR", "DEPENDENT_SERVICE_ERROR"} {
		if r.Sim.RecordResults[code] == 0 {
			t.Errorf("Zoho never answered %s for a record", code)
		}
	}
}

// testWriter sends progress lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
