package queue_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/queue"
)

func fixture(t testing.TB, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"..", "..", "testdata", "webhooks"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// envelope returns an envelope of body, as ingest builds it.
func envelope(source, eventID string, body []byte) *core.Envelope {
	env := &core.Envelope{V: core.EnvelopeVersion, Source: source, EventID: eventID, Org: "acme",
		ReceivedAt: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC), ContentType: "application/json",
		Headers: map[string]string{"x-shopify-topic": "orders/create"}}
	env.SetBody(body)
	return env
}

func mustQueue(t testing.TB, c queue.SQSAPI, b core.Blobs, opt queue.Options) *queue.Queue {
	t.Helper()
	q, err := queue.New(c, "https://sqs.local/000000000000/events", b, opt)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestClampDelay(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want int32
	}{
		{-time.Hour, 0},
		{0, 0},
		{time.Millisecond, 1},
		{1500 * time.Millisecond, 2},
		{2 * time.Second, 2},
		{899*time.Second + time.Nanosecond, 900},
		{900 * time.Second, 900},
		{2 * time.Hour, 900},
		{time.Duration(1<<63 - 1), 900},
	}
	for _, tt := range tests {
		if got := queue.ClampDelay(tt.in); got != tt.want {
			t.Errorf("ClampDelay(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestSend(t *testing.T) {
	small := fixture(t, "stripe", "customer.created.json")
	large := fixture(t, "shopify", "orders-create-large-over-256kb.json")
	binary := []byte{0xff, 0xfe, 0x00, 0x01, 'x'}
	nonchars := []byte("name: \uffff\ufffe end")
	tests := []struct {
		name      string
		env       *core.Envelope
		delay     time.Duration
		wantDelay int32
		wantRef   bool
	}{
		{"small", envelope("stripe", "evt_1", small), 0, 0, false},
		{"delayed", envelope("stripe", "evt_2", small), 90 * time.Second, 90, false},
		{"two hours clamps", envelope("stripe", "evt_3", small), 2 * time.Hour, 900, false},
		{"large goes out of band", envelope("shopify", "820982911946154508", large), 0, 0, true},
		{"binary body", envelope("typeform", "resp_1", binary), 0, 0, false},
		{"non-characters SQS refuses", envelope("calendly", "inv_1", nonchars), 0, 0, false},
		{"empty body", envelope("calendly", "inv_2", nil), 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sq, blobs := &fakeSQS{}, newFakeBlobs()
			q := mustQueue(t, sq, blobs, queue.Options{})
			before, _ := json.Marshal(tt.env)
			if err := q.Send(context.Background(), tt.env, tt.delay); err != nil {
				t.Fatalf("Send: %v", err)
			}
			if after, _ := json.Marshal(tt.env); !bytes.Equal(before, after) {
				t.Errorf("Send modified the caller's envelope")
			}
			if len(sq.sent) != 1 {
				t.Fatalf("%d messages sent, want 1", len(sq.sent))
			}
			m := sq.sent[0]
			if m.delay != tt.wantDelay {
				t.Errorf("DelaySeconds = %d, want %d", m.delay, tt.wantDelay)
			}
			checkAttrs(t, m, tt.env)
			env, raw, err := queue.Decode(context.Background(), m.body, blobs)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			want, _ := tt.env.RawBody()
			if !bytes.Equal(raw, want) {
				t.Errorf("body came back as %d bytes, want the %d sent", len(raw), len(want))
			}
			if (env.BodyRef != "") != tt.wantRef || (len(blobs.m) == 1) != tt.wantRef {
				t.Errorf("BodyRef %q with %d blobs; want out of band: %v", env.BodyRef, len(blobs.m), tt.wantRef)
			}
			sum := sha256.Sum256(want)
			if env.BodySize != len(want) || env.BodySHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("BodySize %d, BodySHA256 %s; want %d, %x", env.BodySize, env.BodySHA256, len(want), sum)
			}
		})
	}
}

func checkAttrs(t *testing.T, m sentMessage, env *core.Envelope) {
	t.Helper()
	for name, want := range map[string]string{"source": env.Source, "org": env.Org, "event_id": env.EventID} {
		a, ok := m.attrs[name]
		if !ok || aws.ToString(a.StringValue) != want || aws.ToString(a.DataType) != "String" {
			t.Errorf("attribute %s = %+v, want String %q", name, a, want)
		}
	}
}

func TestSendAttributeLeftOutWhenSQSWouldRefuse(t *testing.T) {
	sq := &fakeSQS{}
	q := mustQueue(t, sq, nil, queue.Options{})
	env := envelope("stripe", "evt\x01bad", []byte("{}"))
	if err := q.Send(context.Background(), env, 0); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if _, ok := sq.sent[0].attrs["event_id"]; ok {
		t.Errorf("event_id attribute with a control character was sent")
	}
	if _, ok := sq.sent[0].attrs["source"]; !ok {
		t.Errorf("source attribute missing")
	}
}

func TestSendFailures(t *testing.T) {
	large := fixture(t, "shopify", "orders-create-large-over-256kb.json")
	hugeOps := envelope("shopify", "o1", nil)
	hugeOps.Body, hugeOps.BodyRef = "", "q/elsewhere"
	hugeOps.Ops = []core.Operation{{ID: "x", Fields: map[string]any{"Description": strings.Repeat("a", 300_000)}}}
	noOrg := envelope("stripe", "evt", []byte("{}"))
	noOrg.Org = ""
	oldVersion := envelope("stripe", "evt", []byte("{}"))
	oldVersion.V = 0
	badEncoding := envelope("stripe", "evt", []byte("{}"))
	badEncoding.BodyEncoding = "rot13"
	blobDown := errors.New("blob store down")
	tests := []struct {
		name     string
		env      *core.Envelope
		blobs    core.Blobs
		wantErr  error
		wantText string
	}{
		{"no blob store", envelope("shopify", "o1", large), nil, queue.ErrTooLarge, ""},
		{"blob store fails", envelope("shopify", "o1", large), &fakeBlobs{err: blobDown}, blobDown, ""},
		{"too large without the body", hugeOps, newFakeBlobs(), queue.ErrTooLarge, ""},
		{"nil envelope", nil, nil, nil, "nil envelope"},
		{"no org", noOrg, nil, nil, "lacks"},
		{"version", oldVersion, nil, nil, "version"},
		{"unknown body encoding", badEncoding, nil, nil, "encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sq := &fakeSQS{}
			q := mustQueue(t, sq, tt.blobs, queue.Options{})
			err := q.Send(context.Background(), tt.env, 0)
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantText)
			}
			if sq.calls != 0 {
				t.Errorf("%d SQS calls for an envelope that cannot be sent", sq.calls)
			}
		})
	}
	sq := &fakeSQS{err: errors.New("sqs down")}
	if err := mustQueue(t, sq, nil, queue.Options{}).Send(context.Background(), noOrgFixed(), 0); err == nil || !strings.Contains(err.Error(), "sqs down") {
		t.Errorf("SQS failure: err = %v", err)
	}
}

func noOrgFixed() *core.Envelope { return envelope("stripe", "evt_ok", []byte("{}")) }

func TestSendInlineLimit(t *testing.T) {
	body := bytes.Repeat([]byte("a"), 10_000)
	for _, tt := range []struct {
		limit   int
		wantRef bool
	}{{20_000, false}, {5_000, true}} {
		sq, blobs := &fakeSQS{}, newFakeBlobs()
		q := mustQueue(t, sq, blobs, queue.Options{InlineLimit: tt.limit})
		if err := q.Send(context.Background(), envelope("stripe", "evt", body), 0); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(sq.sent[0].body, `"body_ref"`); got != tt.wantRef {
			t.Errorf("limit %d: out of band %v, want %v", tt.limit, got, tt.wantRef)
		}
	}
	if _, err := queue.New(&fakeSQS{}, "u", nil, queue.Options{InlineLimit: 2 << 20}); err == nil {
		t.Errorf("New accepted an inline limit over 1 MiB")
	}
	if _, err := queue.New(nil, "u", nil, queue.Options{}); err == nil {
		t.Errorf("New accepted a nil client")
	}
}
