package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/zohosync/zohosync/infra/local/emu"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
)

// event is one webhook the golden tests map.
type sample struct {
	name        string // golden file name, without .json
	source      string
	body        []byte
	headers     http.Header
	contentType string
}

// repoRoot is the repository root (the folder with go.mod).
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func mustReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// senderSamples reads every body file of testdata/webhooks/<sender>, with
// the headers of its first delivery in deliveries.json.
func senderSamples(t testing.TB, root string) []sample {
	t.Helper()
	var out []sample
	for _, sender := range []string{"calendly", "shopify", "stripe", "typeform"} {
		dir := filepath.Join(root, "testdata", "webhooks", sender)
		var d struct {
			Deliveries []struct {
				BodyFile string            `json:"body_file"`
				Headers  map[string]string `json:"headers"`
			} `json:"deliveries"`
		}
		if err := json.Unmarshal(mustReadFile(t, filepath.Join(dir, "deliveries.json")), &d); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			base := filepath.Base(f)
			if base == "deliveries.json" {
				continue
			}
			s := sample{name: sender + "-" + strings.TrimSuffix(base, ".json"), source: sender,
				body: mustReadFile(t, f), headers: http.Header{}}
			for _, del := range d.Deliveries {
				if del.BodyFile == base {
					for k, v := range del.Headers {
						s.headers.Set(k, v)
					}
					break
				}
			}
			s.contentType = s.headers.Get("Content-Type")
			out = append(out, s)
		}
	}
	return out
}

// extraSamples reads testdata/events/cases.json.
func extraSamples(t testing.TB) []sample {
	t.Helper()
	var c struct {
		Cases []struct {
			Source, File, ContentType string
			Headers                   map[string]string
		}
	}
	if err := json.Unmarshal(mustReadFile(t, "testdata/events/cases.json"), &c); err != nil {
		t.Fatal(err)
	}
	var out []sample
	for _, k := range c.Cases {
		s := sample{name: "extra-" + strings.ReplaceAll(strings.TrimSuffix(k.File, ".json"), "/", "-"), source: k.Source,
			body: mustReadFile(t, filepath.Join("testdata/events", k.File)), headers: http.Header{}, contentType: k.ContentType}
		for h, v := range k.Headers {
			s.headers.Set(h, v)
		}
		if s.contentType == "" {
			s.contentType = "application/json"
		}
		out = append(out, s)
	}
	return out
}

func allSamples(t testing.TB) []sample {
	return append(senderSamples(t, repoRoot(t)), extraSamples(t)...)
}

func defaultMapper(t testing.TB) *Mapper {
	t.Helper()
	cfg, err := config.Load(filepath.Join(repoRoot(t), "config", "zohosync.yaml"))
	if err != nil {
		t.Fatalf("load default config: %v", err)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// envelopeFor builds the envelope ingest would enqueue.
func envelopeFor(s sample, id string) *core.Envelope {
	env := &core.Envelope{V: core.EnvelopeVersion, Source: s.source, EventID: id, Org: "acme",
		ReceivedAt: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC), ContentType: s.contentType, Headers: map[string]string{}}
	for k, v := range s.headers {
		env.Headers[strings.ToLower(k)] = v[0]
	}
	env.SetBody(s.body)
	return env
}

// goldenResult is what a golden file holds for one event.
type goldenResult struct {
	EventID    string           `json:"event_id"`
	Operations []core.Operation `json:"operations"`
	Error      *Error           `json:"error,omitempty"`
}

func mapSample(t testing.TB, m *Mapper, s sample) []byte {
	t.Helper()
	id, err := m.EventID(s.source, s.headers, s.body, s.contentType)
	if err != nil {
		t.Fatalf("EventID: %v", err)
	}
	res := goldenResult{EventID: id, Operations: []core.Operation{}}
	ops, err := m.Map(envelopeFor(s, id), s.body)
	var merr *Error
	switch {
	case errors.As(err, &merr):
		res.Error = merr
	case err != nil:
		t.Fatalf("Map: %v", err)
	case ops != nil:
		res.Operations = ops
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGolden maps every sample with the shipped config and compares the
// result with testdata/golden/<sample>.json. UPDATE_GOLDEN=1 rewrites them.
func TestGolden(t *testing.T) {
	m := defaultMapper(t)
	update := os.Getenv("UPDATE_GOLDEN") == "1"
	want := map[string]bool{}
	for _, s := range allSamples(t) {
		path := filepath.Join("testdata", "golden", s.name+".json")
		want[filepath.Base(path)] = true
		t.Run(s.name, func(t *testing.T) {
			got := mapSample(t, m, s)
			if update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			golden, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
			}
			if !bytes.Equal(got, golden) {
				t.Errorf("%s is stale (UPDATE_GOLDEN=1 regenerates it); got:\n%s", path, got)
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	var orphans []string
	for _, f := range files {
		if !want[filepath.Base(f)] {
			orphans = append(orphans, f)
		}
	}
	sort.Strings(orphans)
	if len(orphans) > 0 {
		t.Errorf("golden files without a sample: %v", orphans)
	}
}
