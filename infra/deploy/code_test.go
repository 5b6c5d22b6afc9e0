package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// metricNames are the EMF metrics the code emits (namespace zohosync).
var metricNames = []string{
	"EventsReceived", "EventsRejected", "EventsDuplicate", "IngestLatency", "RecordsSynced",
	"ZohoCalls", "CreditsSpent", "CreditsRemaining", "TooManyRequests", "Retries", "DeadLetters",
	"TokenMints", "ReauthorizationNeeded", "SyncLatency", "ColdStart",
}

// handlersLanded reports whether every function's main package exists; until
// then a name the code does not use yet is reported as a skip, not a failure.
func handlersLanded(t *testing.T) bool {
	for _, fn := range []string{"ingest", "sync", "refresh", "admin"} {
		if _, err := os.Stat(filepath.Join(root(t), "functions", fn, "main.go")); err != nil {
			return false
		}
	}
	return true
}

func codeLiterals(t *testing.T) map[string]string {
	t.Helper()
	lits, err := StringLiterals(filepath.Join(root(t), "functions"), filepath.Join(root(t), "shared"))
	if err != nil {
		t.Fatal(err)
	}
	return lits
}

var envName = regexp.MustCompile(`^ZOHOSYNC_[A-Z0-9_]+$`)

func TestTemplateSetsEveryVariableTheCodeReads(t *testing.T) {
	tpl := mustLoad(t)
	set := map[string]bool{}
	for _, k := range Keys(Get(tpl.Raw, "Globals", "Function", "Environment", "Variables")) {
		set[k] = true
	}
	var missing []string
	read := 0
	for lit, file := range codeLiterals(t) {
		if !envName.MatchString(lit) || strings.HasPrefix(lit, "ZOHOSYNC_TEST_") {
			continue
		}
		read++
		if !set[lit] {
			missing = append(missing, lit+" (read in "+file+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("the code reads %s but template.yaml does not set it", m)
	}
	for id := range functions {
		if v := Get(tpl.Raw, "Resources", id, "Properties", "Environment"); v != nil {
			t.Errorf("%s sets its own Environment: keep every variable in Globals so all functions agree", id)
		}
	}
	t.Logf("%d ZOHOSYNC_ variables read by the code, %d set by the template", read, len(set))
}

var insightsMetric = regexp.MustCompile(`SELECT\s+[A-Z]+\((\w+)\)\s+FROM\s+zohosync\b`)

func TestAlarmsWatchEmittedMetrics(t *testing.T) {
	tpl := mustLoad(t)
	known := map[string]bool{}
	for _, m := range metricNames {
		known[m] = true
	}
	used := map[string][]string{} // metric -> resources that watch it
	for id, a := range tpl.Typed.GetAllCloudWatchAlarmResources() {
		if a.Namespace != nil && *a.Namespace == "zohosync" && a.MetricName != nil {
			used[*a.MetricName] = append(used[*a.MetricName], id)
		}
		for _, m := range a.Metrics {
			if m.Expression == nil {
				continue
			}
			for _, g := range insightsMetric.FindAllStringSubmatch(*m.Expression, -1) {
				used[g[1]] = append(used[g[1]], id)
			}
		}
	}
	body := Text(Get(tpl.Raw, "Resources", "Dashboard", "Properties", "DashboardBody"))
	for _, g := range insightsMetric.FindAllStringSubmatch(body, -1) {
		used[g[1]] = append(used[g[1]], "Dashboard")
	}
	for _, want := range []string{"DeadLetters", "CreditsRemaining", "TooManyRequests", "ReauthorizationNeeded"} {
		if len(used[want]) == 0 {
			t.Errorf("no alarm watches %s", want)
		}
	}
	lits := codeLiterals(t)
	landed := handlersLanded(t)
	var notYet []string
	for m, by := range used {
		if !known[m] {
			t.Errorf("%v watch metric %q, which zohosync does not emit", by, m)
			continue
		}
		if _, ok := lits[m]; !ok {
			if landed {
				t.Errorf("%v watch metric %q, but no Go code under functions/ or shared/ names it", by, m)
			} else {
				notYet = append(notYet, m)
			}
		}
	}
	if len(notYet) > 0 {
		sort.Strings(notYet)
		t.Skipf("functions/ not complete yet; metrics not yet named by the code: %v", notYet)
	}
}
