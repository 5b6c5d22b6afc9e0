package ingest

import (
	"context"
	"net/http"
	"net/textproto"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/webhook"
)

// Handle answers one delivery. It never returns an error: every outcome,
// failures included, is a JSON response (see the package doc).
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	start := h.now()
	rec := obs.NewRecorder(h.metrics)
	ctx = obs.WithRecorder(ctx, rec)
	o := h.handle(ctx, &req, start)
	h.report(ctx, o, start)
	if err := rec.Flush(); err != nil {
		h.log.WarnContext(ctx, "flush metrics", "err", err)
	}
	return o.response(), nil
}

func (h *Handler) handle(ctx context.Context, req *events.APIGatewayV2HTTPRequest, at time.Time) *outcome {
	s, o := h.route(req)
	if o != nil {
		return o
	}
	o = h.admit(ctx, s, req, at)
	o.src = s
	return o
}

// admit verifies, checks and stores one delivery for source s.
func (h *Handler) admit(ctx context.Context, s *source, req *events.APIGatewayV2HTTPRequest, at time.Time) *outcome {
	body, o := s.body(req)
	if o != nil {
		return o
	}
	hdr := webhook.NewHeader(req.Headers)
	if err := s.verifier.Verify(hdr, body, at); err != nil {
		return rejected(err)
	}
	ct := hdr.Get("content-type")
	if o := s.checkContent(ct, body); o != nil {
		return o
	}
	id, err := h.ids.EventID(s.name, httpHeader(hdr), body, ct)
	if err != nil || !validEventID(id) {
		o := fail(http.StatusBadRequest, CodeEventIDInvalid, "the event id cannot be read from this delivery")
		o.err = err
		return o
	}
	o = h.store(ctx, s, id, hdr, ct, body, at)
	o.eventID = id
	return o
}

// httpHeader converts lower-case API Gateway headers for the EventIDer.
func httpHeader(h webhook.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		out[textproto.CanonicalMIMEHeaderKey(k)] = []string{v}
	}
	return out
}

// rejected turns a verification failure into a 401.
func rejected(err error) *outcome {
	if e, ok := err.(*webhook.Error); ok {
		return fail(http.StatusUnauthorized, string(e.Code), e.Reason)
	}
	o := fail(http.StatusUnauthorized, string(webhook.CodeMismatch), "the signature does not verify")
	o.err = err
	return o
}

// store claims the event id, enqueues the envelope and completes the claim.
func (h *Handler) store(ctx context.Context, s *source, id string, hdr webhook.Header, ct string, body []byte, at time.Time) *outcome {
	state, err := h.claims.Claim(ctx, s.name, id, h.lease)
	if err != nil {
		h.release(ctx, s, id)
		return h.unavailable(err)
	}
	switch state {
	case core.ClaimDone:
		return &outcome{status: http.StatusOK}
	case core.ClaimBusy:
		o := fail(http.StatusConflict, CodeInProgress, "another delivery of this event is being stored; retry later")
		o.retryAfter = h.retryAfter
		return o
	case core.ClaimNew:
	default:
		h.release(ctx, s, id)
		return h.unavailable(errUnknownClaimState)
	}
	if err := h.queue.Send(ctx, s.envelope(id, hdr, ct, body, at), 0); err != nil {
		h.release(ctx, s, id)
		return h.unavailable(err)
	}
	if err := h.claims.Complete(ctx, s.name, id); err != nil {
		// The event is queued; an unfinished claim only lets a redelivery
		// after the lease enqueue it again, which sync tolerates.
		h.log.WarnContext(obs.With(ctx, "source", s.name, "event_id", id), "complete claim", "err", err)
	}
	return &outcome{status: http.StatusAccepted}
}

func (h *Handler) unavailable(err error) *outcome {
	o := fail(http.StatusServiceUnavailable, CodeEnqueueFailed, "the event could not be stored; retry later")
	o.err = err
	o.retryAfter = h.retryAfter
	return o
}

// releaseTimeout bounds the best-effort release after a failure.
const releaseTimeout = 2 * time.Second

// release drops the claim after a failed store, so the sender's retry can
// take it at once; if it fails, the lease runs out instead.
func (h *Handler) release(ctx context.Context, s *source, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err := h.claims.Release(ctx, s.name, id); err != nil {
		h.log.WarnContext(obs.With(ctx, "source", s.name, "event_id", id), "release claim", "err", err)
	}
}
