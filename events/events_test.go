package events

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/zohosync/zohosync/shared/admin"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/infra/local/samples"
	"github.com/zohosync/zohosync/shared/core"
)

// decodeStrict decodes b into v refusing unknown fields and trailing data.
func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode into %T: %v", v, err)
	}
	if dec.More() {
		t.Fatalf("trailing data after the event")
	}
}

func files(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no event files: %v", err)
	}
	return names
}

// adminActions are the actions functions/admin takes.
var adminActions = map[string]bool{"connect": true, "status": true, "replay": true, "dry-run": true}

func TestEveryFileDecodesIntoItsHandlersType(t *testing.T) {
	for _, name := range files(t) {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			switch fn, _, _ := strings.Cut(name, "-"); fn {
			case "ingest":
				var ev lambdaevents.APIGatewayV2HTTPRequest
				decodeStrict(t, b, &ev)
				if ev.Version != "2.0" || ev.RouteKey != "POST /hooks/{source}" || ev.PathParameters["source"] == "" {
					t.Errorf("not an HTTP API v2 event for POST /hooks/{source}: version %q route %q", ev.Version, ev.RouteKey)
				}
			case "sync":
				var ev lambdaevents.SQSEvent
				decodeStrict(t, b, &ev)
				if len(ev.Records) == 0 {
					t.Error("SQS batch has no records")
				}
			case "refresh":
				var ev lambdaevents.CloudWatchEvent
				decodeStrict(t, b, &ev)
				if ev.DetailType != "Scheduled Event" || ev.Source != "aws.events" {
					t.Errorf("not a schedule event: %q from %q", ev.DetailType, ev.Source)
				}
			case "admin":
				var req admin.Request
				decodeStrict(t, b, &req)
				if !adminActions[req.Action] {
					t.Errorf("action = %q, want one of connect, status, replay, dry-run", req.Action)
				}
			default:
				t.Errorf("file name must start with ingest-, sync-, refresh- or admin-")
			}
		})
	}
}

func TestIngestEventsAreSignedSamples(t *testing.T) {
	root, _ := filepath.Abs("..")
	for _, name := range files(t) {
		if !strings.HasPrefix(name, "ingest-") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			b, _ := os.ReadFile(name)
			var ev lambdaevents.APIGatewayV2HTTPRequest
			decodeStrict(t, b, &ev)
			src := ev.PathParameters["source"]
			set, err := samples.Load(root, src)
			if err != nil {
				t.Fatal(err)
			}
			hdr, _, err := samples.Sign(src, set.Secret, nil, time.Unix(0, 0))
			if err != nil {
				t.Fatal(err)
			}
			got := ev.Headers[strings.ToLower(hdr)]
			at := time.Unix(0, 0)
			if samples.SignsTimestamp(src) {
				at = time.UnixMilli(ev.RequestContext.TimeEpoch)
			}
			if _, want, _ := samples.Sign(src, set.Secret, []byte(ev.Body), at); got != want {
				t.Errorf("%s = %q, want %q (signed over the body with the sample secret)", hdr, got, want)
			}
			found := false
			for _, d := range set.Deliveries {
				found = found || bytes.Equal(d.Body, []byte(ev.Body))
			}
			if !found {
				t.Errorf("body is not byte-identical to any %s sample", src)
			}
			if ev.Headers["content-length"] != "" && ev.Headers["content-length"] != itoa(len(ev.Body)) {
				t.Errorf("content-length %s, body is %d bytes", ev.Headers["content-length"], len(ev.Body))
			}
		})
	}
}

func TestSyncEventsCarryEnvelopes(t *testing.T) {
	for _, name := range files(t) {
		if !strings.HasPrefix(name, "sync-") {
			continue
		}
		b, _ := os.ReadFile(name)
		var ev lambdaevents.SQSEvent
		decodeStrict(t, b, &ev)
		for i, r := range ev.Records {
			env, err := core.UnmarshalEnvelope([]byte(r.Body))
			if err != nil {
				t.Errorf("%s record %d: %v", name, i, err)
				continue
			}
			raw, err := env.RawBody()
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(raw)
			if hex.EncodeToString(sum[:]) != env.BodySHA256 || len(raw) != env.BodySize {
				t.Errorf("%s record %d: body_sha256/body_size do not describe the body", name, i)
			}
			if m := md5.Sum([]byte(r.Body)); hex.EncodeToString(m[:]) != r.Md5OfBody {
				t.Errorf("%s record %d: md5OfBody does not match the body", name, i)
			}
			if r.Attributes["ApproximateReceiveCount"] == "" || r.EventSource != "aws:sqs" {
				t.Errorf("%s record %d: lacks the attributes Lambda sets", name, i)
			}
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
