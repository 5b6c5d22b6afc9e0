package ingest

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/core"
)

const customerBody = `{"id":"evt_answers_1","type":"customer.created","data":{"object":{"email":"a@example.com"}}}`

func signedStripe(body string) events.APIGatewayV2HTTPRequest {
	return post("stripe", stripeHeaders(body, 1735736500), body)
}

func withMethod(req events.APIGatewayV2HTTPRequest, m string) events.APIGatewayV2HTTPRequest {
	req.RequestContext.HTTP.Method = m
	return req
}

func base64Body(req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPRequest {
	req.Body = base64.StdEncoding.EncodeToString([]byte(req.Body))
	req.IsBase64Encoded = true
	return req
}

var errInternal = errors.New("dynamodb: connection reset by 10.0.0.7 (internal detail)")

func state(s core.ClaimState) *core.ClaimState { return &s }

// TestHandleAnswers covers every answer; "sent" counts enqueued envelopes
// and "calls" the claim-store calls in order.
func TestHandleAnswers(t *testing.T) {
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		setup  func(*rig)
		status int
		code   string
		sent   int
		calls  string
		header map[string]string
	}{
		{name: "accepted", req: signedStripe(customerBody), status: 202, sent: 1,
			calls: "claim stripe/evt_answers_1,complete stripe/evt_answers_1"},
		{name: "duplicate", req: signedStripe(customerBody), status: 200,
			setup: func(r *rig) { r.claims.state["stripe/evt_answers_1"] = core.ClaimDone },
			calls: "claim stripe/evt_answers_1"},
		{name: "busy", req: signedStripe(customerBody), status: 409, code: "in_progress",
			setup:  func(r *rig) { r.claims.forced = state(core.ClaimBusy) },
			calls:  "claim stripe/evt_answers_1",
			header: map[string]string{"Retry-After": "30"}},
		{name: "wrong method", req: withMethod(signedStripe(customerBody), "GET"), status: 405, code: "method_not_allowed",
			header: map[string]string{"Allow": "POST"}},
		{name: "unknown source", req: post("github", nil, "{}"), status: 404, code: "unknown_source"},
		{name: "wrong path (function URL)", req: functionURL(signedStripe(customerBody), "/other/stripe"), status: 404, code: "not_found"},
		{name: "root path (function URL)", req: functionURL(signedStripe(customerBody), "/"), status: 404, code: "not_found"},
		{name: "function URL trailing slash", req: functionURL(signedStripe(customerBody), "/hooks/stripe/"), status: 202, sent: 1,
			calls: "claim stripe/evt_answers_1,complete stripe/evt_answers_1"},
		{name: "function URL without rawPath", req: func() events.APIGatewayV2HTTPRequest {
			req := functionURL(signedStripe(customerBody), "/hooks/stripe")
			req.RawPath = ""
			return req
		}(), status: 202, sent: 1, calls: "claim stripe/evt_answers_1,complete stripe/evt_answers_1"},
		{name: "function URL behind a stage", req: functionURL(signedStripe(customerBody), "/prod/hooks/stripe"), status: 202, sent: 1,
			calls: "claim stripe/evt_answers_1,complete stripe/evt_answers_1"},
		{name: "oversize body", req: post("small", map[string]string{"content-type": "application/json"}, `{"k":"`+strings.Repeat("x", 60)+`"}`),
			status: 413, code: "body_too_large"},
		{name: "oversize base64 body", req: base64Body(post("small", map[string]string{"content-type": "application/json"}, `{"k":"`+strings.Repeat("x", 60)+`"}`)),
			status: 413, code: "body_too_large"},
		{name: "at the limit", req: post("small", map[string]string{"content-type": "application/json"}, `{"k":"`+strings.Repeat("x", 56)+`"}`),
			status: 202, sent: 1, setup: func(r *rig) { r.ids.fixed = "id-1" }, calls: "claim small/id-1,complete small/id-1"},
		{name: "base64 body verified after decoding", req: base64Body(signedStripe(customerBody)), status: 202, sent: 1,
			calls: "claim stripe/evt_answers_1,complete stripe/evt_answers_1"},
		{name: "base64 body signed as encoded text", req: func() events.APIGatewayV2HTTPRequest {
			enc := base64.StdEncoding.EncodeToString([]byte(customerBody))
			req := post("stripe", stripeHeaders(enc, 1735736500), enc)
			req.IsBase64Encoded = true
			return req
		}(), status: 401, code: "signature_mismatch"},
		{name: "base64 that does not decode", req: func() events.APIGatewayV2HTTPRequest {
			req := signedStripe(customerBody)
			req.IsBase64Encoded = true
			return req
		}(), status: 400, code: "malformed_body"},
		{name: "malformed JSON", req: signedStripe(`{"id":"evt_x",`), status: 400, code: "malformed_json"},
		{name: "empty JSON body", req: signedStripe(``), status: 400, code: "malformed_json"},
		{name: "+json media type", req: func() events.APIGatewayV2HTTPRequest {
			req := signedStripe(customerBody)
			req.Headers["content-type"] = "application/vnd.example+json"
			return req
		}(), status: 202, sent: 1, calls: "claim stripe/evt_answers_1,complete stripe/evt_answers_1"},
		{name: "malformed +json", req: func() events.APIGatewayV2HTTPRequest {
			req := signedStripe(`nope`)
			req.Headers["content-type"] = "application/cloudevents+json"
			return req
		}(), status: 400, code: "malformed_json"},
		{name: "form", req: post("forms", map[string]string{"content-type": "application/x-www-form-urlencoded",
			"x-shared-key": sharedKey}, "email=a%40example.com&name=Ada"), status: 202, sent: 1,
			setup: func(r *rig) { r.ids.fixed = "f1" }, calls: "claim forms/f1,complete forms/f1"},
		{name: "malformed form", req: post("forms", map[string]string{"content-type": "application/x-www-form-urlencoded",
			"x-shared-key": sharedKey}, "email=%zz"), status: 400, code: "malformed_form"},
		{name: "shared secret wrong", req: post("forms", map[string]string{"content-type": "application/x-www-form-urlencoded",
			"x-shared-key": "guess"}, "a=b"), status: 401, code: "signature_mismatch"},
		{name: "text on a JSON source", req: func() events.APIGatewayV2HTTPRequest {
			req := signedStripe(customerBody)
			req.Headers["content-type"] = "text/plain"
			return req
		}(), status: 415, code: "unsupported_media_type"},
		{name: "content type missing", req: func() events.APIGatewayV2HTTPRequest {
			req := signedStripe(customerBody)
			delete(req.Headers, "content-type")
			return req
		}(), status: 415, code: "unsupported_media_type"},
		{name: "content type unparsable", req: func() events.APIGatewayV2HTTPRequest {
			req := signedStripe(customerBody)
			req.Headers["content-type"] = "application/json; charset"
			return req
		}(), status: 415, code: "unsupported_media_type"},
		{name: "text on a source that allows it", req: post("plain", map[string]string{"content-type": "text/plain; charset=utf-8"}, "not json"),
			status: 202, sent: 1, setup: func(r *rig) { r.ids.fixed = "p1" }, calls: "claim plain/p1,complete plain/p1"},
		{name: "wrong signature", req: func() events.APIGatewayV2HTTPRequest {
			req := signedStripe(customerBody)
			req.Body = strings.Replace(req.Body, "a@example.com", "b@example.com", 1)
			return req
		}(), status: 401, code: "signature_mismatch"},
		{name: "signature header missing", req: post("stripe", map[string]string{"content-type": "application/json"}, customerBody),
			status: 401, code: "signature_header_missing"},
		{name: "event id unreadable", req: signedStripe(customerBody), status: 400, code: "event_id_invalid",
			setup: func(r *rig) { r.ids.err = errInternal }},
		{name: "event id with control characters", req: signedStripe(customerBody), status: 400, code: "event_id_invalid",
			setup: func(r *rig) { r.ids.fixed = "evt\n1" }},
		{name: "event id too long", req: signedStripe(customerBody), status: 400, code: "event_id_invalid",
			setup: func(r *rig) { r.ids.fixed = strings.Repeat("e", 513) }},
		{name: "claim store down", req: signedStripe(customerBody), status: 503, code: "enqueue_failed",
			setup:  func(r *rig) { r.claims.claimErr = errInternal },
			calls:  "claim stripe/evt_answers_1,release stripe/evt_answers_1",
			header: map[string]string{"Retry-After": "30"}},
		{name: "queue down", req: signedStripe(customerBody), status: 503, code: "enqueue_failed",
			setup: func(r *rig) { r.queue.err = errInternal },
			calls: "claim stripe/evt_answers_1,release stripe/evt_answers_1"},
		{name: "queue and release down", req: signedStripe(customerBody), status: 503, code: "enqueue_failed",
			setup: func(r *rig) { r.queue.err = errInternal; r.claims.relErr = errInternal },
			calls: "claim stripe/evt_answers_1,release stripe/evt_answers_1"},
		{name: "complete fails after enqueue", req: signedStripe(customerBody), status: 202, sent: 1,
			setup: func(r *rig) { r.claims.doneErr = errInternal },
			calls: "claim stripe/evt_answers_1,complete stripe/evt_answers_1"},
		{name: "unknown claim state", req: signedStripe(customerBody), status: 503, code: "enqueue_failed",
			setup: func(r *rig) { r.claims.forced = state(core.ClaimState(7)) },
			calls: "claim stripe/evt_answers_1,release stripe/evt_answers_1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			if c.setup != nil {
				c.setup(r)
			}
			resp := r.do(t, c.req)
			got := decodeReply(t, resp)
			if resp.StatusCode != c.status || got.Error != c.code {
				t.Errorf("got %d %q (%s), want %d %q", resp.StatusCode, got.Error, got.Message, c.status, c.code)
			}
			if c.code != "" && got.Message == "" {
				t.Errorf("error answer without a message: %s", resp.Body)
			}
			if c.code == "" && got.EventID == "" {
				t.Errorf("2xx answer without event_id: %s", resp.Body)
			}
			if strings.Contains(resp.Body, "10.0.0.7") || strings.Contains(resp.Body, "dynamodb") {
				t.Errorf("internal error text reached the response: %s", resp.Body)
			}
			if n := r.queue.len(); n != c.sent {
				t.Errorf("enqueued %d, want %d", n, c.sent)
			}
			if calls := strings.Join(r.claims.calls, ","); calls != c.calls {
				t.Errorf("claim calls = %q, want %q", calls, c.calls)
			}
			for k, v := range c.header {
				if resp.Headers[k] != v {
					t.Errorf("header %s = %q, want %q", k, resp.Headers[k], v)
				}
			}
		})
	}
}

func TestAnswerBodies(t *testing.T) {
	r := newRig(t)
	resp := r.do(t, signedStripe(customerBody))
	if want := `{"status":"accepted","event_id":"evt_answers_1"}`; resp.Body != want {
		t.Errorf("accepted body = %s, want %s", resp.Body, want)
	}
	resp = r.do(t, signedStripe(customerBody))
	if want := `{"status":"duplicate","event_id":"evt_answers_1"}`; resp.StatusCode != 200 || resp.Body != want {
		t.Errorf("duplicate = %d %s, want 200 %s", resp.StatusCode, resp.Body, want)
	}
	resp = r.do(t, post("github", nil, "{}"))
	if want := `{"error":"unknown_source","message":"no source of that name is configured"}`; resp.Body != want {
		t.Errorf("error body = %s, want %s", resp.Body, want)
	}
}

func TestClaimLease(t *testing.T) {
	r := newRig(t)
	r.do(t, signedStripe(customerBody))
	if len(r.claims.leases) != 1 || r.claims.leases[0] != DefaultLease {
		t.Errorf("leases = %v, want [%v]", r.claims.leases, DefaultLease)
	}
}
