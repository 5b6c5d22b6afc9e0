package stack

import (
	"bytes"
	"fmt"
	"os"
	"sort"

	"gopkg.in/yaml.v3"
)

// Expectation is what one sample delivery should come to.
type Expectation struct {
	// Outcome: synced, duplicate, dead-lettered, ignored or rejected.
	Outcome string `yaml:"outcome"`
	// Module, when set, is the CRM module of the first written record.
	Module string `yaml:"module,omitempty"`
}

// Expectations maps source -> delivery name -> expectation.
type Expectations map[string]map[string]Expectation

// LoadExpectations reads infra/local/expected.yaml (or another file).
func LoadExpectations(path string) (Expectations, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read expectations: %w", err)
	}
	var e Expectations
	dec := yaml.NewDecoder(bytesReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return e, nil
}

// Kind is the outcome an Outcome shows, in Expectation's words.
func (o *Outcome) Kind() string {
	switch {
	case o.Accept == "rejected":
		return "rejected"
	case o.Accept == "duplicate":
		return "duplicate"
	}
	return o.Sync
}

// Check compares outcomes with the expectations and returns one line per
// difference, including expected samples that were never posted.
func (e Expectations) Check(outcomes []*Outcome) []string {
	var bad []string
	seen := map[string]bool{}
	for _, o := range outcomes {
		want, ok := e[o.Source][o.Name]
		if !ok {
			continue // a webhook posted by hand
		}
		seen[o.Source+"/"+o.Name] = true
		if o.Kind() != want.Outcome {
			bad = append(bad, fmt.Sprintf("%s/%s: %s, want %s", o.Source, o.Name, o.Kind(), want.Outcome))
		} else if want.Module != "" && o.Module != want.Module {
			bad = append(bad, fmt.Sprintf("%s/%s: module %q, want %q", o.Source, o.Name, o.Module, want.Module))
		}
	}
	for src, names := range e {
		for name := range names {
			if !seen[src+"/"+name] {
				bad = append(bad, fmt.Sprintf("%s/%s: expected but never posted", src, name))
			}
		}
	}
	sort.Strings(bad)
	return bad
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
