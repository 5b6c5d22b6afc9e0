package ingest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/zohosync/zohosync/infra/local/emu"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/obs"
)

// Sample secrets, as named in testdata/webhooks/*/deliveries.json.
const (
	stripeSecret   = "whsec_test_zohosync_fixture_secret_0001"
	shopifySecret  = "shpss_test_zohosync_fixture_secret_0001"
	typeformSecret = "tf_test_zohosync_fixture_secret"
	calendlySecret = "cal_test_zohosync_fixture_signing_key"
	sharedKey      = "shared-key-value-0001"
)

func testConfig() *config.Config {
	return &config.Config{
		Version: 1,
		Orgs:    map[string]*config.Org{"acme": {Name: "acme"}},
		Sources: map[string]*config.Source{
			"stripe":   {Org: "acme", Verify: config.Verify{Scheme: "stripe", Secrets: []string{"env:STRIPE"}}},
			"shopify":  {Org: "acme", Verify: config.Verify{Scheme: "shopify", Secrets: []string{"env:SHOPIFY_OLD", "env:SHOPIFY"}}},
			"typeform": {Org: "acme", Verify: config.Verify{Scheme: "typeform", Secrets: []string{"env:TYPEFORM"}}},
			"calendly": {Org: "acme", Verify: config.Verify{Scheme: "calendly", Secrets: []string{"env:CALENDLY"}}},
			"forms": {Org: "acme", Verify: config.Verify{Scheme: "shared_secret", Header: "X-Shared-Key",
				Secrets: []string{"env:SHARED"}}},
			"plain": {Org: "acme", Verify: config.Verify{Scheme: "none"}, ContentTypes: []string{"text/plain", "application/octet-stream"}},
			"small": {Org: "acme", Verify: config.Verify{Scheme: "none"}, MaxBody: 64},
		},
	}
}

var testSecrets = fakeSecrets{
	"env:STRIPE": stripeSecret, "env:SHOPIFY_OLD": "shpss_retired_secret", "env:SHOPIFY": shopifySecret,
	"env:TYPEFORM": typeformSecret, "env:CALENDLY": calendlySecret, "env:SHARED": sharedKey,
}

// rig is a handler with fakes and captured output.
type rig struct {
	h       *Handler
	claims  *fakeClaims
	queue   *fakeQueue
	ids     *fakeIDs
	logs    *bytes.Buffer
	metrics *bytes.Buffer
	now     time.Time
}

func newRig(t testing.TB) *rig {
	t.Helper()
	r := &rig{
		claims: newFakeClaims(), queue: &fakeQueue{},
		ids:  &fakeIDs{header: map[string]string{"shopify": "x-shopify-event-id"}},
		logs: &bytes.Buffer{}, metrics: &bytes.Buffer{},
		now: time.Unix(1735736502, 0),
	}
	h, err := New(context.Background(), testConfig(), Deps{
		Claims: r.claims, Queue: r.queue, IDs: r.ids, Secrets: testSecrets,
		Now:     func() time.Time { return r.now },
		Log:     obs.NewLogger(r.logs, "debug"),
		Metrics: r.metrics,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	r.h = h
	return r
}

func (r *rig) do(t testing.TB, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := r.h.Handle(context.Background(), req)
	if err != nil {
		t.Fatalf("Handle returned an error: %v", err)
	}
	return resp
}

// post builds an HTTP API (payload v2) request for source.
func post(source string, headers map[string]string, body string) events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       "POST /hooks/{source}",
		RawPath:        "/hooks/" + source,
		Headers:        map[string]string{},
		PathParameters: map[string]string{"source": source},
		Body:           body,
	}
	for k, v := range headers {
		req.Headers[k] = v
	}
	req.RequestContext.HTTP.Method = "POST"
	req.RequestContext.HTTP.Path = req.RawPath
	return req
}

// functionURL turns req into what a Function URL sends: no route key, no
// path parameters.
func functionURL(req events.APIGatewayV2HTTPRequest, rawPath string) events.APIGatewayV2HTTPRequest {
	req.RouteKey, req.PathParameters = "$default", nil
	req.RawPath, req.RequestContext.HTTP.Path = rawPath, rawPath
	return req
}

// stripeHeaders signs body the way Stripe does, at unix time ts.
func stripeHeaders(body string, ts int64) map[string]string {
	t := strconv.FormatInt(ts, 10)
	m := hmac.New(sha256.New, []byte(stripeSecret))
	m.Write([]byte(t + "." + body))
	return map[string]string{
		"content-type":     "application/json; charset=utf-8",
		"stripe-signature": "t=" + t + ",v1=" + hex.EncodeToString(m.Sum(nil)),
	}
}

type reply struct {
	Status  string `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message"`
	EventID string `json:"event_id"`
}

func decodeReply(t testing.TB, resp events.APIGatewayV2HTTPResponse) reply {
	t.Helper()
	if ct := resp.Headers["Content-Type"]; ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var r reply
	dec := json.NewDecoder(bytes.NewReader([]byte(resp.Body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("body %q is not a reply: %v", resp.Body, err)
	}
	return r
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
