package ingest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

func TestEnvelope(t *testing.T) {
	r := newRig(t)
	r.now = time.Date(2025, 1, 1, 12, 0, 2, 500, time.FixedZone("x", 3600))
	req := post("forms", map[string]string{
		"Content-Type":    "application/x-www-form-urlencoded",
		"X-Shared-Key":    sharedKey, // the verifier's header: never kept
		"X-Topic":         "contact/created",
		"Authorization":   "Bearer abc",
		"Cookie":          "session=1",
		"X-Api-Key":       "k",
		"X-Gitlab-Token":  "t",
		"X-Hub-Signature": "sha1=00",
		"X-Forwarded-For": "203.0.113.9",
		"X-Amzn-Trace-Id": "Root=1-abc",
		"User-Agent":      "Sender/1.0",
	}, "email=a%40example.com")
	r.ids.fixed = "evt-env-1"
	resp := r.do(t, req)
	if resp.StatusCode != 202 {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	env := r.queue.sent[0]
	sum := sha256.Sum256([]byte("email=a%40example.com"))
	want := core.Envelope{
		V: 1, Source: "forms", EventID: "evt-env-1", Org: "acme", ReceivedAt: r.now.UTC(),
		ContentType: "application/x-www-form-urlencoded",
		Body:        "email=a%40example.com", BodySize: 21, BodySHA256: hex.EncodeToString(sum[:]),
	}
	if env.V != want.V || env.Source != want.Source || env.EventID != want.EventID || env.Org != want.Org ||
		!env.ReceivedAt.Equal(want.ReceivedAt) || env.ContentType != want.ContentType || env.Body != want.Body ||
		env.BodyEncoding != "" || env.BodySize != want.BodySize || env.BodySHA256 != want.BodySHA256 {
		t.Errorf("envelope = %+v\nwant       %+v", env, want)
	}
	wantHeaders := map[string]string{
		"content-type": "application/x-www-form-urlencoded", "x-topic": "contact/created", "user-agent": "Sender/1.0",
	}
	if len(env.Headers) != len(wantHeaders) {
		t.Errorf("headers = %v, want %v", env.Headers, wantHeaders)
	}
	for k, v := range wantHeaders {
		if env.Headers[k] != v {
			t.Errorf("header %s = %q, want %q", k, env.Headers[k], v)
		}
	}
}

func TestEnvelopeBinaryBody(t *testing.T) {
	r := newRig(t)
	raw := []byte{0xff, 0xfe, 0x00, 'b', 'i', 'n'}
	req := post("plain", map[string]string{"content-type": "application/octet-stream"}, base64.StdEncoding.EncodeToString(raw))
	req.IsBase64Encoded = true
	r.ids.fixed = "bin-1"
	if resp := r.do(t, req); resp.StatusCode != 202 {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	env := r.queue.sent[0]
	got, err := env.RawBody()
	if err != nil || string(got) != string(raw) || env.BodyEncoding != "base64" || env.BodySize != len(raw) {
		t.Errorf("body = %q (%v), encoding %q, size %d; want the raw bytes back", got, err, env.BodyEncoding, env.BodySize)
	}
}

func TestEventIDerSeesDecodedRequest(t *testing.T) {
	r := newRig(t)
	r.do(t, base64Body(signedStripe(customerBody)))
	if len(r.ids.seen) != 1 || r.ids.seen[0] != "stripe application/json; charset=utf-8" {
		t.Errorf("EventID calls = %q", r.ids.seen)
	}
	if r.queue.len() != 1 || r.queue.sent[0].EventID != "evt_answers_1" {
		t.Errorf("event id from the decoded body not used")
	}
}

func TestValidEventID(t *testing.T) {
	cases := map[string]bool{
		"evt_1": true, "98880550-0000-4f5d-8c1b-000000000001": true, "é-ü": true,
		"": false, "a\tb": false, "a\x7fb": false, "\xff": false,
	}
	for id, want := range cases {
		if got := validEventID(id); got != want {
			t.Errorf("validEventID(%q) = %v, want %v", id, got, want)
		}
	}
}
