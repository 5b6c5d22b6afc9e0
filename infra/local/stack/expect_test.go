package stack

import (
	"path/filepath"
	"testing"

	"github.com/zohosync/zohosync/infra/local/samples"
)

// TestExpectedFileNamesEveryAcceptedSample keeps infra/local/expected.yaml
// in step with testdata/webhooks: each accepted sample has an expectation
// and each expectation names an accepted sample.
func TestExpectedFileNamesEveryAcceptedSample(t *testing.T) {
	root, _ := filepath.Abs("../../..")
	exp, err := LoadExpectations(filepath.Join(root, "infra", "local", "expected.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sets, err := samples.LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	valid := map[string]bool{"synced": true, "duplicate": true, "dead-lettered": true, "ignored": true, "rejected": true}
	for _, s := range sets {
		accepted := map[string]bool{}
		for _, d := range s.Deliveries {
			if d.Accepted() {
				accepted[d.Name] = true
				if _, ok := exp[s.Source][d.Name]; !ok {
					t.Errorf("%s/%s: accepted sample without an expectation", s.Source, d.Name)
				}
			}
		}
		for name, e := range exp[s.Source] {
			if !accepted[name] {
				t.Errorf("%s/%s: expectation for no accepted sample", s.Source, name)
			}
			if !valid[e.Outcome] {
				t.Errorf("%s/%s: outcome %q is not one of synced, duplicate, dead-lettered, ignored, rejected", s.Source, name, e.Outcome)
			}
		}
	}
}
