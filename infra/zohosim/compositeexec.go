package zohosim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// runComposite executes the sub-requests and renders the answer. reserved is
// the credit reservation: 2 with rollback_on_fail, else 1.
func (s *Sim) runComposite(c *compositeReq, reserved int64) jobResult {
	var j *journal
	if c.rollback {
		j = &journal{}
	}
	failedAt := -1
	for _, idx := range c.order() {
		it := c.items[idx]
		if it.err == nil {
			s.runSub(c, it, j)
		}
		if c.rollback && it.failed() {
			failedAt = idx
			s.rollback(j)
			break
		}
	}
	res := jobResult{records: len(c.items), results: map[string]int{}}
	items := make([]any, len(c.items))
	triggered, failed := 0, 0
	for i, it := range c.items {
		items[i] = it.render(failedAt)
		for k, n := range it.results {
			res.results[k] += n
		}
		if it.inner != nil && failedAt < 0 {
			triggered++
		}
		if it.failed() {
			failed++
		}
	}
	res.body = map[string]any{compositeKey: items}
	res.failed = failed
	res.status = s.compositeStatus(c, failedAt, triggered, failed)
	if reserved == 2 && failedAt >= 0 {
		res.refund = 1 // a rolled-back composite costs one credit
	}
	return res
}

func (s *Sim) compositeStatus(c *compositeReq, failedAt, triggered, failed int) int {
	switch {
	case c.rollback && failedAt >= 0:
		return http.StatusBadRequest
	case c.rollback:
		return http.StatusOK
	case triggered == 0:
		return http.StatusBadRequest
	case triggered < len(c.items):
		return http.StatusMultiStatus
	case failed > 0:
		return s.cfg.Unconfirmed.CompositeSomeFailedStatus
	}
	return http.StatusOK
}

// failed reports whether the item did not succeed: not triggered, or an
// inner answer outside 2xx.
func (it *subRequest) failed() bool {
	return it.err != nil || (it.inner != nil && (it.inner.StatusCode < 200 || it.inner.StatusCode > 299))
}

// render is the item's entry in the answer, given the index of the
// sub-request that caused a rollback (-1: none).
func (it *subRequest) render(failedAt int) any {
	switch {
	case failedAt >= 0 && it.index != failedAt && it.inner != nil:
		return newError(http.StatusBadRequest, "ROLLBACK_PERFORMED",
			"the transaction was rolled back since another sub request in the same transaction failed.",
			map[string]any{"rollbacked_by_sub_request_index": failedAt})
	case failedAt >= 0 && it.index != failedAt && it.err == nil:
		return newError(http.StatusBadRequest, "PROCESSING_STOPPED",
			"the processing was stopped since another sub request in the same transaction failed.",
			map[string]any{"rollbacked_by_sub_request_index": failedAt})
	case it.err != nil:
		return it.err
	}
	return map[string]any{
		"code": "SUCCESS", "status": "success",
		"message": "composite sub request executed successfully",
		"details": map[string]any{"response": it.inner},
	}
}

// runSub resolves references and serves the item through the same write
// path as a direct call (without its own credits or concurrency).
func (s *Sim) runSub(c *compositeReq, it *subRequest, j *journal) {
	resolve := func(r reference) (any, bool) { return c.resolve(r) }
	uri, bad := substituteString(it.uri, resolve)
	if bad != nil {
		it.err = errInvalidReference(*bad)
		return
	}
	if _, bad = substitute(it.params, resolve); bad != nil {
		it.err = errInvalidReference(*bad)
		return
	}
	body, bad := substitute(it.body, resolve)
	if bad != nil {
		it.err = errInvalidReference(*bad)
		return
	}
	uriText, _ := scalarText(uri)
	status, out, results := s.serveSub(c, it, uriText, body, j)
	it.results = results
	it.inner = &innerResponse{StatusCode: status, Headers: s.subHeaders(c), Body: genericJSON(out)}
}

// resolve evaluates a reference against an executed, successful-enough
// sub-request. In parallel mode a failed sub-request cannot be referred to.
func (c *compositeReq) resolve(r reference) (any, bool) {
	for _, it := range c.items {
		if it.id != r.id {
			continue
		}
		if it.inner == nil || (c.parallel && it.failed()) {
			return nil, false
		}
		return evalPath(it.inner.Body, r.path)
	}
	return nil, false
}

// serveSub routes one sub-request and returns the inner status and body.
func (s *Sim) serveSub(c *compositeReq, it *subRequest, uri string, body any, j *journal) (int, any, map[string]int) {
	path := uri
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if m := subVersion.FindStringIndex(path); m != nil {
		path = "/crm" + path[m[0]:]
	}
	rt, err := parseRoute(s.schema, it.method, path)
	switch {
	case err != nil:
		return err.httpStatus, err, nil
	case rt.endpoint == "composite":
		e := errNotSupported("composite requests inside composite requests")
		return e.httpStatus, e, nil
	case !c.token.allows(rt.endpoint, rt.mod):
		e := errScopeMismatch()
		return e.httpStatus, e, nil
	}
	bodyMap, _ := body.(map[string]any)
	if bodyMap == nil {
		bodyMap = map[string]any{}
	}
	op := &writeOp{kind: rt.endpoint, mod: rt.mod, version: rt.version, pathID: rt.id, body: bodyMap,
		maxRecords: subRecordLimit, dc: c.dc, journal: j}
	if h, ok := headerValue(it.headers, "If-Unmodified-Since"); ok {
		if t, perr := parseIfUnmodified(h); perr == nil {
			op.ifUnmodified = t
		}
	}
	data, dcf, err := s.prepareWrite(op)
	if err != nil {
		return err.httpStatus, err, nil
	}
	out := s.executeWrite(op, data, dcf)
	return out.status, out.body, out.results
}

func headerValue(h map[string]any, name string) (string, bool) {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			s, ok := v.(string)
			return s, ok
		}
	}
	return "", false
}

// subHeaders are the headers shown inside each wrapped response.
func (s *Sim) subHeaders(c *compositeReq) map[string]string {
	h := map[string]string{
		"X-ACCESSTOKEN-RESET": s.formatTime(c.token.expires),
		"content-type":        "application/json;charset=utf-8",
	}
	if n, ok := s.ledger.remainingHeader(s.Now()); ok {
		h["X-API-CREDITS-REMAINING"] = strconv.FormatInt(n, 10)
	}
	return h
}

// genericJSON turns a rendered body into decoded JSON (numbers exact), so
// references can walk it.
func genericJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return map[string]any{}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if dec.Decode(&out) != nil {
		return map[string]any{}
	}
	return out
}
