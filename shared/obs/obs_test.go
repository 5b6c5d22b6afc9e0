package obs

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

func TestRecorderWritesEMF(t *testing.T) {
	var buf bytes.Buffer
	r := NewRecorder(&buf)
	r.now = func() time.Time { return time.UnixMilli(1700000000000) }
	r.Add("EventsReceived", Count, 1, Source("stripe"), Org("acme"))
	r.Add("EventsReceived", Count, 2, Org("acme"), Source("stripe"))
	r.Add("IngestLatency", Milliseconds, 3.5, Org("acme"), Source("stripe"))
	r.Add("IngestLatency", Milliseconds, 4.5, Org("acme"), Source("stripe"))
	r.Add("ColdStart", Count, 1)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d EMF lines, want 2:\n%s", len(lines), buf.String())
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["EventsReceived"] != 3.0 {
		t.Errorf("EventsReceived = %v, want 3", doc["EventsReceived"])
	}
	if got, ok := doc["IngestLatency"].([]any); !ok || len(got) != 2 {
		t.Errorf("IngestLatency = %v, want two values", doc["IngestLatency"])
	}
	aws := doc["_aws"].(map[string]any)
	cw := aws["CloudWatchMetrics"].([]any)[0].(map[string]any)
	dims := cw["Dimensions"].([]any)[0].([]any)
	if len(dims) != 2 || dims[0] != "org" || dims[1] != "source" || doc["org"] != "acme" {
		t.Errorf("dimensions = %v (org=%v), want [org source]", dims, doc["org"])
	}
	if aws["Timestamp"] != 1700000000000.0 || cw["Namespace"] != Namespace {
		t.Errorf("bad _aws block: %v", aws)
	}
	buf.Reset()
	r.Flush()
	if buf.Len() != 0 {
		t.Errorf("second Flush wrote %q, want nothing", buf.String())
	}
}

func TestLoggerAddsRequestIDAndContextAttrs(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, "info")
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
	ctx = With(ctx, "org", "acme")
	ctx = With(ctx, "source", "stripe", "event_id", "evt_1")
	log.InfoContext(ctx, "accepted", "status", 202)
	log.DebugContext(ctx, "hidden")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q", buf.String())
	}
	for k, want := range map[string]any{"request_id": "req-1", "org": "acme", "source": "stripe", "event_id": "evt_1", "msg": "accepted"} {
		if line[k] != want {
			t.Errorf("%s = %v, want %v", k, line[k], want)
		}
	}
}

func TestAddWithoutRecorderIsNoop(t *testing.T) {
	Add(context.Background(), "X", Count, 1)
}
