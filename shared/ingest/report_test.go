package ingest

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
)

// emfLines decodes the EMF documents one Handle call wrote.
func emfLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var docs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var d map[string]any
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("EMF line %q: %v", sc.Text(), err)
		}
		docs = append(docs, d)
	}
	return docs
}

func TestMetrics(t *testing.T) {
	cases := []struct {
		name   string
		run    func(*rig)
		metric string
		dims   map[string]string
	}{
		{"accepted", func(r *rig) { r.do(t, signedStripe(customerBody)) }, "EventsReceived",
			map[string]string{"org": "acme", "source": "stripe"}},
		{"duplicate", func(r *rig) {
			r.do(t, signedStripe(customerBody))
			r.metrics.Reset()
			r.do(t, signedStripe(customerBody))
		},
			"EventsDuplicate", map[string]string{"org": "acme", "source": "stripe"}},
		{"rejected", func(r *rig) { r.do(t, signedStripe(`{`)) }, "EventsRejected",
			map[string]string{"org": "acme", "source": "stripe", "reason": "malformed_json"}},
		{"unknown source has no source dimension", func(r *rig) { r.do(t, post("no-such-source-123", nil, "{}")) }, "EventsRejected",
			map[string]string{"reason": "unknown_source"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			c.run(r)
			var found, latency bool
			for _, d := range emfLines(t, r.metrics.String()) {
				if d["IngestLatency"] != nil {
					latency = true
				}
				if d[c.metric] != 1.0 {
					continue
				}
				found = true
				for k, v := range c.dims {
					if d[k] != v {
						t.Errorf("%s dimension %s = %v, want %q", c.metric, k, d[k], v)
					}
				}
				for _, k := range []string{"org", "source", "reason"} {
					if _, want := c.dims[k]; !want && d[k] != nil {
						t.Errorf("%s has unexpected dimension %s=%v", c.metric, k, d[k])
					}
				}
			}
			if !found || !latency {
				t.Errorf("metrics %q lack %s=1 or IngestLatency", r.metrics.String(), c.metric)
			}
		})
	}
}

func TestLogs(t *testing.T) {
	r := newRig(t)
	r.do(t, signedStripe(customerBody))
	r.claims.claimErr, r.claims.relErr = errInternal, errInternal
	r.do(t, signedStripe(strings.Replace(customerBody, "evt_answers_1", "evt_answers_2", 1)))
	r.do(t, post("stripe", map[string]string{"content-type": "application/json", "stripe-signature": "t=1,v1=" + strings.Repeat("a", 64)}, customerBody))

	lines := strings.Split(strings.TrimSpace(r.logs.String()), "\n")
	want := []struct{ level, msg, code, eventID string }{
		{"INFO", "webhook accepted", "", "evt_answers_1"},
		{"WARN", "release claim", "", "evt_answers_2"},
		{"ERROR", "webhook not stored", "enqueue_failed", "evt_answers_2"},
		{"WARN", "webhook rejected", "signature_mismatch", ""},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d log lines, want %d:\n%s", len(lines), len(want), r.logs.String())
	}
	for i, w := range want {
		var l map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &l); err != nil {
			t.Fatal(err)
		}
		if l["level"] != w.level || l["msg"] != w.msg {
			t.Errorf("line %d = %s %q, want %s %q", i, l["level"], l["msg"], w.level, w.msg)
		}
		if w.code != "" && l["code"] != w.code {
			t.Errorf("line %d code = %v, want %s", i, l["code"], w.code)
		}
		if w.eventID != "" && (l["event_id"] != w.eventID || l["source"] != "stripe") {
			t.Errorf("line %d event_id, source = %v, %v; want %s, stripe", i, l["event_id"], l["source"], w.eventID)
		}
		if w.msg != "release claim" && l["org"] != "acme" {
			t.Errorf("line %d org = %v, want acme", i, l["org"])
		}
	}
	for _, secretish := range []string{stripeSecret, "a@example.com", "v1="} {
		if strings.Contains(r.logs.String(), secretish) {
			t.Errorf("logs contain %q:\n%s", secretish, r.logs.String())
		}
	}
}
