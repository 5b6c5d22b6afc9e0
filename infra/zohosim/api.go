package zohosim

import (
	"net/http"
	"time"
)

// job is a validated API call, ready to be admitted and run.
type job struct {
	units, subUnits int   // concurrency and sub-concurrency it holds
	cost            int64 // credits reserved before it runs
	class           string
	run             func() jobResult
}

// jobResult is a served call. refund returns part of the reservation (a
// rolled-back composite costs 1, not 2).
type jobResult struct {
	status          int
	body            any
	records, failed int
	results         map[string]int
	refund          int64
}

// serveAPI is the /crm pipeline: route, injected faults, authentication,
// method and module, scope, body, concurrency, credits, latency, then the
// call itself.
func (h *dcHandler) serveAPI(w http.ResponseWriter, r *http.Request) {
	s := h.sim
	rt, routeErr := parseRoute(s.schema, r.Method, r.URL.Path)
	x := h.newExchange(w, r, rt.endpoint)
	if rt.mod != nil {
		x.entry.Module = rt.module
	}
	defer x.done()
	if routeErr != nil && routeErr.httpStatus == http.StatusNotFound {
		x.fail(routeErr)
		return
	}
	pre, hasPre := s.faults.fire(faultQuery{rt.endpoint, rt.module, h.dc}, requestActions, s.Now(), s.rng)
	holdsSlot := hasPre && pre.Action == FaultHang // a hung call holds its slots
	if hasPre && !pre.Commit && !holdsSlot && !x.preFault(pre) {
		return
	}
	at, err := s.authenticate(r.Header.Get("Authorization"), h.dc)
	if err != nil {
		x.fail(err)
		return
	}
	x.authed, x.entry.ClientID = true, at.clientID
	j, err := h.prepare(x, rt, routeErr, at)
	if err != nil {
		x.failAfterAuth(err)
		return
	}
	if !hasPre || (!pre.Commit && !holdsSlot) {
		pre = Fault{}
	}
	h.runJob(x, j, at, pre)
}

// prepare checks everything that needs no store access and builds the job.
func (h *dcHandler) prepare(x *exchange, rt route, routeErr *apiError, at accessToken) (job, *apiError) {
	if routeErr != nil {
		return job{}, routeErr
	}
	if !at.allows(rt.endpoint, rt.mod) {
		return job{}, errScopeMismatch()
	}
	body, err := x.readJSON()
	if err != nil {
		return job{}, err
	}
	if rt.endpoint == "composite" {
		return h.sim.compositeJob(rt, body, at, h.dc)
	}
	return h.sim.writeJob(rt, body, x.r.Header.Get("If-Unmodified-Since"), h.dc)
}

// runJob admits the job (concurrency, then credits), applies latency, runs
// it and answers. f is a fault still to apply: a hang (before the call runs,
// or after with Commit) or another Commit fault (after the call runs).
func (h *dcHandler) runJob(x *exchange, j job, at accessToken, f Fault) {
	s := h.sim
	key := "org"
	if s.cfg.Unconfirmed.ConcurrencyKey == "client" {
		key = at.clientID
	}
	release, reason := s.limiter.acquire(key, j.units, j.subUnits)
	if release == nil {
		_ = reason // counted by the limiter; the answer does not say which limit
		x.fail(errTooManyRequests())
		return
	}
	defer release()
	if !s.ledger.reserve(s.Now(), j.cost) {
		s.limiter.refuse("credits")
		x.fail(errTooManyRequests())
		return
	}
	hangFirst := f.Action == FaultHang && !f.Commit
	if !x.pause(s.latency.get(j.class).sample(s.rng)) || (hangFirst && !x.wait(f.Delay)) {
		s.ledger.adjust(s.Now(), -j.cost) // client gone before the call ran
		return
	}
	res := j.run()
	s.ledger.adjust(s.Now(), -res.refund)
	s.stats.addResults(res.results)
	x.entry.Records, x.entry.Failed, x.entry.Credits = res.records, res.failed, j.cost-res.refund
	if f.Commit {
		x.postFault(f, res)
		return
	}
	x.reply(res.status, res.body)
}

// writeJob validates a write's body and wraps it as a job.
func (s *Sim) writeJob(rt route, body map[string]any, ifUnmodified, dc string) (job, *apiError) {
	op := &writeOp{kind: rt.endpoint, mod: rt.mod, version: rt.version, pathID: rt.id, body: body,
		maxRecords: maxRecordsPerCall, dc: dc}
	if ifUnmodified != "" {
		t, err := parseIfUnmodified(ifUnmodified)
		if err != nil {
			return job{}, newError(http.StatusBadRequest, "INVALID_DATA", "invalid data",
				map[string]any{"api_name": "If-Unmodified-Since"})
		}
		op.ifUnmodified = t
	}
	data, dcf, err := s.prepareWrite(op)
	if err != nil {
		return job{}, err
	}
	j := job{units: 1, cost: writeCost(len(data)), class: "write"}
	if len(data) > 10 {
		j.subUnits = 1
	}
	j.run = func() jobResult {
		out := s.executeWrite(op, data, dcf)
		return jobResult{status: out.status, body: out.body, records: out.records, failed: out.failed, results: out.results}
	}
	return j, nil
}

func parseIfUnmodified(v string) (time.Time, error) {
	if t, err := time.Parse(zohoTimeLayout, v); err == nil {
		return t, nil
	}
	return http.ParseTime(v)
}

// failAfterAuth answers a request-level error of an authenticated call;
// with Unconfirmed.ChargeRequestErrors a 4xx costs one credit.
func (x *exchange) failAfterAuth(e *apiError) {
	s := x.h.sim
	if s.cfg.Unconfirmed.ChargeRequestErrors && e.httpStatus < 500 {
		s.ledger.adjust(s.Now(), 1)
		x.entry.Credits = 1
	}
	x.fail(e)
}

// preFault applies a fault before the call is served and reports whether
// serving should go on.
func (x *exchange) preFault(f Fault) bool {
	switch f.Action {
	case FaultStatus:
		x.fail(faultError(f))
		return false
	case FaultHang:
		return x.wait(f.Delay)
	case FaultDrop:
		x.drop()
		return false
	case FaultInvalidateTokens:
		x.h.sim.InvalidateAllTokens()
	}
	return true
}

// postFault applies a Commit fault to a call that was served.
func (x *exchange) postFault(f Fault, res jobResult) {
	switch f.Action {
	case FaultStatus:
		x.fail(faultError(f))
	case FaultHang:
		if x.wait(f.Delay) {
			x.reply(res.status, res.body)
		}
	case FaultDrop:
		x.drop()
	case FaultInvalidateTokens:
		x.h.sim.InvalidateAllTokens()
		x.reply(res.status, res.body)
	default:
		x.reply(res.status, res.body)
	}
}

func faultError(f Fault) *apiError {
	status, code := f.statusAndCode()
	if code == "TOO_MANY_REQUESTS" {
		e := errTooManyRequests()
		e.httpStatus = status
		return e
	}
	return newError(status, code, "injected fault", nil)
}

// serveUnknown answers paths outside /crm, /oauth and /__sim.
func (h *dcHandler) serveUnknown(w http.ResponseWriter, r *http.Request) {
	x := h.newExchange(w, r, "other")
	defer x.done()
	x.fail(errInvalidURL())
}
