package syncer

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/mapping"
)

func TestAllDone(t *testing.T) {
	r := newRig(t)
	fails := r.handle(t,
		msg(t, "m1", "e1", nil, contact("c", "a@example.com")),
		msg(t, "m2", "e2", nil, contact("c", "b@example.com")),
	)
	if len(fails) != 0 || len(r.queue.sent) != 0 || len(r.dls.dls) != 0 {
		t.Fatalf("fails=%v sent=%d dls=%d, want none", fails, len(r.queue.sent), len(r.dls.dls))
	}
	if r.crm.calls != 1 {
		t.Errorf("Zoho calls = %d, want 1 (one batch)", r.crm.calls)
	}
	if len(r.results) != 2 || r.results[0].Outcome != core.Done || r.results[0].RecordID == "" {
		t.Errorf("results = %+v, want two done with record ids", r.results)
	}
	if r.ledger.reserved != 1 || len(r.ledger.settled) != 1 || r.ledger.settled[0] != 1 {
		t.Errorf("ledger reserved %d settled %v, want 1 and [1]", r.ledger.reserved, r.ledger.settled)
	}
	if r.ledger.held != 0 {
		t.Errorf("slots still held: %d", r.ledger.held)
	}
}

func TestMixedResultsRequeueOnlyRetryable(t *testing.T) {
	r := newRig(t)
	fails := r.handle(t, msg(t, "m1", "e1", nil,
		contact("ok", "a@example.com"), contact("locked", "lock@example.com"), contact("bad", "bad@example.com")))
	if len(fails) != 0 {
		t.Fatalf("batch item failures %v, want none", fails)
	}
	if got := r.dls.codes(); !reflect.DeepEqual(got, []string{"INVALID_DATA"}) {
		t.Errorf("dead letters %v, want [INVALID_DATA]", got)
	}
	dl := r.dls.dls[0]
	if dl.Op == nil || dl.Op.ID != "bad" || dl.EventID != "e1" || string(dl.Details) != `{"api_name":"Email"}` {
		t.Errorf("dead letter = %+v, want op bad of e1 with Zoho's details", dl)
	}
	if len(r.queue.sent) != 1 {
		t.Fatalf("requeued %d envelopes, want 1", len(r.queue.sent))
	}
	s := r.queue.sent[0]
	if len(s.env.Ops) != 1 || s.env.Ops[0].ID != "locked" {
		t.Errorf("requeued ops %+v, want only 'locked'", s.env.Ops)
	}
	if s.env.Attempt != 1 || s.env.LastProblem == nil || s.env.LastProblem.Code != "RECORD_LOCKED" {
		t.Errorf("attempt %d problem %+v, want 1 RECORD_LOCKED", s.env.Attempt, s.env.LastProblem)
	}
	if s.delay < time.Second || s.delay > 2*time.Second {
		t.Errorf("delay %v, want full-jitter backoff within [1s, 2s]", s.delay)
	}
}

func TestRequeuedOpsRunWithoutMapping(t *testing.T) {
	r := newRig(t)
	r.handle(t, msg(t, "m1", "e1", nil, contact("locked", "lock@example.com")))
	again := r.queue.sent[0].env
	again.Ops[0].Fields["Email"] = "fine@example.com"
	b, _ := again.Marshal()
	r.queue.sent = nil
	if fails := r.handle(t, events.SQSMessage{MessageId: "m2", Body: string(b)}); len(fails) != 0 {
		t.Fatalf("fails %v", fails)
	}
	if len(r.queue.sent) != 0 || len(r.results) != 2 || r.results[1].Outcome != core.Done {
		t.Errorf("second pass: sent %d, results %+v; want done", len(r.queue.sent), r.results)
	}
}

func TestChainFillsLookupOnRequeue(t *testing.T) {
	r := newRig(t)
	r.handle(t, msg(t, "m1", "e1", nil, contact("contact", "a@example.com"), deal("deal", "lock@example.com", "contact")))
	if len(r.queue.sent) != 1 {
		t.Fatalf("sent %d, want 1", len(r.queue.sent))
	}
	op := r.queue.sent[0].env.Ops[0]
	if op.ID != "deal" || len(op.Refs) != 0 {
		t.Fatalf("requeued %+v, want the deal with its reference resolved", op)
	}
	look, ok := op.Fields["Contact_Name"].(map[string]any)
	if !ok || look["id"] == "" {
		t.Errorf("Contact_Name = %#v, want {id: <contact record id>}", op.Fields["Contact_Name"])
	}
	if r.crm.calls != 2 {
		t.Errorf("calls = %d, want 2 (contact stage, deal stage)", r.crm.calls)
	}
}

func TestDependencyRejectedDeadLettersDependent(t *testing.T) {
	r := newRig(t)
	r.handle(t, msg(t, "m1", "e1", nil, contact("contact", "bad@example.com"), deal("deal", "a@example.com", "contact")))
	if got := r.dls.codes(); !reflect.DeepEqual(got, []string{"DEPENDENCY_FAILED", "INVALID_DATA"}) {
		t.Errorf("dead letters %v, want DEPENDENCY_FAILED and INVALID_DATA", got)
	}
	if r.crm.calls != 1 {
		t.Errorf("calls = %d, want 1: the deal is never sent", r.crm.calls)
	}
}

func TestMappingErrorDeadLettersEvent(t *testing.T) {
	r := newRig(t)
	m := msg(t, "m1", "e1", func(e *core.Envelope) { e.SetBody([]byte(`{"error":"no usable match key: Email is empty"}`)) })
	if fails := r.handle(t, m); len(fails) != 0 {
		t.Fatalf("fails %v", fails)
	}
	if len(r.dls.dls) != 1 || r.dls.dls[0].Code != "MAPPING_ERROR" || !strings.Contains(r.dls.dls[0].Message, "match key") {
		t.Fatalf("dead letters %+v, want one MAPPING_ERROR naming the reason", r.dls.dls)
	}
	if r.dls.dls[0].Envelope.Body == "" {
		t.Errorf("dead letter lost the raw event")
	}
	if r.crm.calls != 0 {
		t.Errorf("Zoho called %d times for an unmappable event", r.crm.calls)
	}
}

func TestUnauthorizedRefreshesOnceAndRetries(t *testing.T) {
	r := newRig(t)
	r.crm.errs = []error{&callErr{Unauthorized, "INVALID_TOKEN"}}
	r.handle(t, msg(t, "m1", "e1", nil, contact("c", "a@example.com")))
	if !reflect.DeepEqual(r.tokens.invalidated, []string{"tok-0"}) || !reflect.DeepEqual(r.crm.tokes, []string{"tok-0", "tok-1"}) {
		t.Errorf("invalidated %v, tokens used %v; want tok-0 invalidated then tok-1 used", r.tokens.invalidated, r.crm.tokes)
	}
	if len(r.results) != 1 || r.results[0].Outcome != core.Done {
		t.Errorf("results %+v, want done", r.results)
	}
}

func TestUnauthorizedTwiceRequeues(t *testing.T) {
	r := newRig(t)
	r.crm.errs = []error{&callErr{Unauthorized, "INVALID_TOKEN"}, &callErr{Unauthorized, "INVALID_TOKEN"}}
	r.handle(t, msg(t, "m1", "e1", nil, contact("c", "a@example.com")))
	if r.crm.calls != 2 || len(r.queue.sent) != 1 || r.queue.sent[0].env.LastProblem.Code != "INVALID_TOKEN" {
		t.Errorf("calls %d sent %d, want 2 calls then a requeue with INVALID_TOKEN", r.crm.calls, len(r.queue.sent))
	}
}

func TestThrottledCoolsDownWithoutCountingAttempt(t *testing.T) {
	r := newRig(t)
	r.crm.errs = []error{&callErr{Throttled, "TOO_MANY_REQUESTS"}}
	r.handle(t, msg(t, "m1", "e1", nil, contact("c", "a@example.com")))
	if len(r.ledger.coolDowns) != 1 {
		t.Fatalf("cool-downs %v, want 1", r.ledger.coolDowns)
	}
	s := r.queue.sent[0]
	if s.env.Attempt != 0 || s.delay != DefaultOptions.ThrottleCoolDown {
		t.Errorf("attempt %d delay %v, want 0 and the cool-down %v", s.env.Attempt, s.delay, DefaultOptions.ThrottleCoolDown)
	}
}

func TestPermanentCallErrorDeadLetters(t *testing.T) {
	r := newRig(t)
	r.crm.errs = []error{&callErr{Permanent, "INVALID_MODULE"}}
	r.handle(t, msg(t, "m1", "e1", nil, contact("c", "a@example.com")))
	if got := r.dls.codes(); !reflect.DeepEqual(got, []string{"INVALID_MODULE"}) || len(r.queue.sent) != 0 {
		t.Errorf("dead letters %v sent %d, want INVALID_MODULE and no requeue", got, len(r.queue.sent))
	}
}

func TestTooLargeSplitsOnce(t *testing.T) {
	r := newRig(t)
	r.crm.errs = []error{&callErr{TooLarge, "LIMIT_EXCEEDED"}}
	r.handle(t, msg(t, "m1", "e1", nil, contact("a", "a@example.com"), contact("b", "b@example.com"), contact("c", "c@example.com")))
	if r.crm.calls != 3 || len(r.results) != 3 || r.ledger.held != 0 {
		t.Errorf("calls %d results %d held %d; want the batch split in two and all done", r.crm.calls, len(r.results), r.ledger.held)
	}
}

func TestCreditsDeniedHopsPastSQSDelay(t *testing.T) {
	r := newRig(t)
	r.ledger.denyUntil = r.now.Add(5 * time.Hour)
	r.handle(t, msg(t, "m1", "e1", nil, contact("c", "a@example.com")))
	if r.crm.calls != 0 || len(r.queue.sent) != 1 {
		t.Fatalf("calls %d sent %d, want no call and one requeue", r.crm.calls, len(r.queue.sent))
	}
	s := r.queue.sent[0]
	if s.delay != 900*time.Second || s.env.NotBefore == nil || !s.env.NotBefore.Equal(r.ledger.denyUntil) || s.env.Attempt != 0 {
		t.Errorf("delay %v notBefore %v attempt %d; want 900s, %v, 0", s.delay, s.env.NotBefore, s.env.Attempt, r.ledger.denyUntil)
	}
}

func TestEarlyArrivalIsRedelayed(t *testing.T) {
	r := newRig(t)
	nb := r.now.Add(2 * time.Hour)
	r.handle(t, msg(t, "m1", "e1", func(e *core.Envelope) { e.NotBefore = &nb }, contact("c", "a@example.com")))
	if r.crm.calls != 0 || len(r.queue.sent) != 1 || r.queue.sent[0].delay != 900*time.Second {
		t.Errorf("calls %d sent %+v; want a 900 s re-delay and no call", r.crm.calls, r.queue.sent)
	}
}

func TestRetriesExhaustedDeadLetters(t *testing.T) {
	r := newRig(t)
	r.handle(t, msg(t, "m1", "e1", func(e *core.Envelope) { e.Attempt = 2 }, contact("c", "lock@example.com")))
	if got := r.dls.codes(); !reflect.DeepEqual(got, []string{"RECORD_LOCKED"}) || len(r.queue.sent) != 0 {
		t.Fatalf("dead letters %v sent %d, want RECORD_LOCKED after the 3rd attempt", got, len(r.queue.sent))
	}
	if !strings.Contains(r.dls.dls[0].Message, "gave up after 3 attempts") || r.dls.dls[0].Attempts != 3 {
		t.Errorf("message %q attempts %d", r.dls.dls[0].Message, r.dls.dls[0].Attempts)
	}
}

func TestDurableWriteFailureIsBatchItemFailure(t *testing.T) {
	r := newRig(t)
	r.queue.fail = true
	fails := r.handle(t,
		msg(t, "m1", "e1", nil, contact("c", "lock@example.com")),
		msg(t, "m2", "e2", nil, contact("c", "ok@example.com")))
	if !reflect.DeepEqual(fails, []string{"m1"}) {
		t.Errorf("batch item failures %v, want [m1]", fails)
	}
	r2 := newRig(t)
	r2.dls.fail = true
	if fails := r2.handle(t, msg(t, "m3", "e3", nil, contact("c", "bad@example.com"))); !reflect.DeepEqual(fails, []string{"m3"}) {
		t.Errorf("batch item failures %v, want [m3]", fails)
	}
}

func TestUnreadableMessageIsBatchItemFailure(t *testing.T) {
	r := newRig(t)
	fails := r.handle(t, events.SQSMessage{MessageId: "bad", Body: "{not json"}, msg(t, "m1", "e1", nil, contact("c", "a@example.com")))
	if !reflect.DeepEqual(fails, []string{"bad"}) || len(r.results) != 1 {
		t.Errorf("fails %v results %d; want [bad] and the good one done", fails, len(r.results))
	}
}

func TestReauthorizationWaitsWithoutAttempt(t *testing.T) {
	r := newRig(t)
	r.tokens.err = errReauth
	r.handle(t, msg(t, "m1", "e1", nil, contact("c", "a@example.com")))
	s := r.queue.sent[0]
	if s.env.LastProblem.Code != "REAUTHORIZATION_NEEDED" || s.delay != DefaultOptions.ReauthWait.Round(time.Second) && s.env.NotBefore == nil || s.env.Attempt != 0 {
		t.Errorf("requeued %+v delay %v; want REAUTHORIZATION_NEEDED after the reauth wait, no attempt", s.env.LastProblem, s.delay)
	}
	if r.crm.calls != 0 {
		t.Errorf("Zoho called without a token")
	}
}

func TestIgnoredEventSettles(t *testing.T) {
	r := newRig(t)
	if fails := r.handle(t, msg(t, "m1", "e1", nil)); len(fails) != 0 || len(r.queue.sent)+len(r.dls.dls)+r.crm.calls != 0 {
		t.Errorf("ignored event did something: fails %v sent %d dls %d calls %d", fails, len(r.queue.sent), len(r.dls.dls), r.crm.calls)
	}
}

func TestMappingProblemKeepsMappingCodes(t *testing.T) {
	err := fmt.Errorf("map: %w", &mapping.Error{Code: mapping.CodeNoMatchKey, Route: "customer", Reason: "no usable match key"})
	p := mappingProblem(err)
	if p.Code != mapping.CodeNoMatchKey || !strings.Contains(string(p.Details), `"route":"customer"`) {
		t.Errorf("problem %+v", p)
	}
	if p := mappingProblem(errors.New("boom")); p.Code != "MAPPING_ERROR" || p.Details != nil {
		t.Errorf("plain error problem %+v", p)
	}
}
