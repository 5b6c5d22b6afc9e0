package frontdoor

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/infra/local/lambdaemu"
)

// recorder is an ingest stand-in: it keeps the events it got and answers
// with a fixed response or error.
type recorder struct {
	mu     sync.Mutex
	events []events.APIGatewayV2HTTPRequest
	resp   events.APIGatewayV2HTTPResponse
	err    error
}

func (r *recorder) handle(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	return r.resp, r.err
}

func (r *recorder) last(t *testing.T) events.APIGatewayV2HTTPRequest {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		t.Fatal("function was not invoked")
	}
	return r.events[len(r.events)-1]
}

func newServer(rec *recorder) (*Server, *httptest.Server) {
	s := &Server{
		Function: lambdaemu.NewInProcess("ingest", time.Second, rec.handle),
		Now:      func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) },
	}
	return s, httptest.NewServer(s)
}

func TestEventShape(t *testing.T) {
	rec := &recorder{resp: events.APIGatewayV2HTTPResponse{StatusCode: 202, Body: `{"status":"accepted"}`}}
	_, ts := newServer(rec)
	defer ts.Close()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/hooks/stripe?a=1&a=2&b=x", strings.NewReader(`{"id":"evt_1"}`))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Stripe-Signature", "t=1,v1=ab")
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	req.Header.Set("Cookie", "k1=v1; k2=v2")
	req.Header.Set("User-Agent", "Stripe/1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 202 {
		t.Errorf("status = %d, want 202", resp.StatusCode)
	}
	ev := rec.last(t)
	checks := []struct{ name, got, want string }{
		{"version", ev.Version, "2.0"},
		{"routeKey", ev.RouteKey, "POST /hooks/{source}"},
		{"rawPath", ev.RawPath, "/hooks/stripe"},
		{"rawQueryString", ev.RawQueryString, "a=1&a=2&b=x"},
		{"query a", ev.QueryStringParameters["a"], "1,2"},
		{"pathParameters.source", ev.PathParameters["source"], "stripe"},
		{"stripe-signature header", ev.Headers["stripe-signature"], "t=1,v1=ab"},
		{"content-type header", ev.Headers["content-type"], "application/json; charset=utf-8"},
		{"repeated header", ev.Headers["x-multi"], "one,two"},
		{"host header", ev.Headers["host"], strings.TrimPrefix(ts.URL, "http://")},
		{"cookie header removed", ev.Headers["cookie"], ""},
		{"cookies", strings.Join(ev.Cookies, "|"), "k1=v1|k2=v2"},
		{"http.method", ev.RequestContext.HTTP.Method, "POST"},
		{"http.path", ev.RequestContext.HTTP.Path, "/hooks/stripe"},
		{"http.sourceIp", ev.RequestContext.HTTP.SourceIP, "127.0.0.1"},
		{"http.userAgent", ev.RequestContext.HTTP.UserAgent, "Stripe/1.0"},
		{"http.protocol", ev.RequestContext.HTTP.Protocol, "HTTP/1.1"},
		{"stage", ev.RequestContext.Stage, "$default"},
		{"time", ev.RequestContext.Time, "04/Mar/2026:05:06:07 +0000"},
		{"body", ev.Body, `{"id":"evt_1"}`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if ev.IsBase64Encoded {
		t.Error("isBase64Encoded = true for a JSON body, want false")
	}
	if ev.RequestContext.RequestID == "" {
		t.Error("requestContext.requestId is empty")
	}
	if got, want := ev.RequestContext.TimeEpoch, int64(1772600767000); got != want {
		t.Errorf("timeEpoch = %d, want %d", got, want)
	}
	for name := range ev.Headers {
		if name != strings.ToLower(name) {
			t.Errorf("header %q is not lower-case", name)
		}
	}
}

func TestBodyEncoding(t *testing.T) {
	binary := []byte{0xff, 0xfe, 0x00, 0x01}
	cases := []struct {
		name        string
		contentType string
		body        []byte
		wantB64     bool
	}{
		{"json", "application/json", []byte(`{"a":1}`), false},
		{"text", "text/plain; charset=utf-8", []byte("héllo"), false},
		{"vendor json", "application/vnd.api+json", []byte(`{}`), false},
		{"form", "application/x-www-form-urlencoded", []byte("a=1&b=2"), true},
		{"octets", "application/octet-stream", binary, true},
		{"json label, invalid utf-8", "application/json", binary, true},
		{"no content type", "", []byte("plain"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{resp: events.APIGatewayV2HTTPResponse{StatusCode: 200}}
			_, ts := newServer(rec)
			defer ts.Close()
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/hooks/typeform", bytes.NewReader(c.body))
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			ev := rec.last(t)
			if ev.IsBase64Encoded != c.wantB64 {
				t.Fatalf("isBase64Encoded = %v, want %v", ev.IsBase64Encoded, c.wantB64)
			}
			got := []byte(ev.Body)
			if ev.IsBase64Encoded {
				if got, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
					t.Fatalf("body is not base64: %v", err)
				}
			}
			if !bytes.Equal(got, c.body) {
				t.Errorf("body = %q, want %q", got, c.body)
			}
		})
	}
}

func TestResponses(t *testing.T) {
	cases := []struct {
		name       string
		method     string
		path       string
		body       string
		maxPayload int64
		resp       events.APIGatewayV2HTTPResponse
		err        error
		wantStatus int
		wantBody   string
		wantHeader [2]string
		invoked    bool
	}{
		{name: "plain response", method: "POST", path: "/hooks/stripe",
			resp:       events.APIGatewayV2HTTPResponse{StatusCode: 401, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"error":"bad signature"}`},
			wantStatus: 401, wantBody: `{"error":"bad signature"}`, wantHeader: [2]string{"Content-Type", "application/json"}, invoked: true},
		{name: "base64 response decoded", method: "POST", path: "/hooks/stripe",
			resp:       events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: base64.StdEncoding.EncodeToString([]byte("raw\x00bytes")), IsBase64Encoded: true},
			wantStatus: 200, wantBody: "raw\x00bytes", invoked: true},
		{name: "multi-value header and cookie", method: "POST", path: "/hooks/stripe",
			resp:       events.APIGatewayV2HTTPResponse{StatusCode: 202, MultiValueHeaders: map[string][]string{"X-A": {"1", "2"}}, Cookies: []string{"c=1"}},
			wantStatus: 202, wantHeader: [2]string{"Set-Cookie", "c=1"}, invoked: true},
		{name: "function error is 500", method: "POST", path: "/hooks/stripe", err: errors.New("boom"),
			wantStatus: 500, wantBody: `{"message":"Internal Server Error"}` + "\n", invoked: true},
		{name: "status 0 is 500", method: "POST", path: "/hooks/stripe",
			wantStatus: 500, invoked: true},
		{name: "GET is no route", method: "GET", path: "/hooks/stripe", wantStatus: 404, wantBody: `{"message":"Not Found"}` + "\n"},
		{name: "other path", method: "POST", path: "/webhooks/stripe", wantStatus: 404},
		{name: "empty source", method: "POST", path: "/hooks/", wantStatus: 404},
		{name: "nested path", method: "POST", path: "/hooks/a/b", wantStatus: 404},
		{name: "too large", method: "POST", path: "/hooks/stripe", body: strings.Repeat("x", 101), maxPayload: 100,
			wantStatus: 413, wantBody: `{"message":"Request Entity Too Large"}` + "\n"},
		{name: "at the limit", method: "POST", path: "/hooks/stripe", body: strings.Repeat("x", 100), maxPayload: 100,
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 202}, wantStatus: 202, invoked: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{resp: c.resp, err: c.err}
			s, ts := newServer(rec)
			defer ts.Close()
			s.MaxPayload = c.maxPayload
			req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, c.wantStatus)
			}
			if c.wantBody != "" && string(body) != c.wantBody {
				t.Errorf("body = %q, want %q", body, c.wantBody)
			}
			if h := c.wantHeader; h[0] != "" && resp.Header.Get(h[0]) != h[1] {
				t.Errorf("header %s = %q, want %q", h[0], resp.Header.Get(h[0]), h[1])
			}
			rec.mu.Lock()
			invoked := len(rec.events) > 0
			rec.mu.Unlock()
			if invoked != c.invoked {
				t.Errorf("invoked = %v, want %v", invoked, c.invoked)
			}
		})
	}
}

func TestEventDecodesStrictly(t *testing.T) {
	// The event the front door sends must be exactly the SDK's type: encode
	// one and decode it with unknown fields refused.
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:3000/hooks/shopify", nil)
	ev := buildEvent(r, []byte(`{}`), "shopify", "id", time.Unix(0, 0), "local")
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var back events.APIGatewayV2HTTPRequest
	if err := dec.Decode(&back); err != nil {
		t.Fatalf("decode: %v", err)
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	s := &Server{}
	for _, addr := range []string{"0.0.0.0:0", ":0", "localhost:0"} {
		if _, _, err := s.Listen(addr); err == nil {
			t.Errorf("Listen(%q) succeeded, want an error", addr)
		}
	}
	srv, l, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(l.Addr().String(), "127.0.0.1:") {
		t.Errorf("listening on %s", l.Addr())
	}
}
