package zohosim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// exchange is one call being served: it collects what the log and the
// counters need and writes the answer exactly once.
type exchange struct {
	h       *dcHandler
	w       http.ResponseWriter
	r       *http.Request
	started time.Time
	entry   LogEntry
	authed  bool
	written bool
}

func (h *dcHandler) newExchange(w http.ResponseWriter, r *http.Request, endpoint string) *exchange {
	return &exchange{h: h, w: w, r: r, started: time.Now(), entry: LogEntry{
		Time: h.sim.Now(), DC: h.dc, Method: r.Method, Path: r.URL.Path, Endpoint: endpoint,
	}}
}

// done logs the call; a call that wrote nothing (client gone, connection
// dropped) is logged with status 0.
func (x *exchange) done() {
	x.entry.Duration = time.Since(x.started)
	x.h.sim.stats.record(x.entry)
}

// reply writes a JSON answer with Zoho's headers.
func (x *exchange) reply(status int, body any) {
	if x.written {
		return
	}
	x.written = true
	hdr := x.w.Header()
	hdr.Set("Content-Type", "application/json;charset=UTF-8")
	if x.authed {
		if n, ok := x.h.sim.ledger.remainingHeader(x.h.sim.Now()); ok {
			hdr.Set("X-API-CREDITS-REMAINING", strconv.FormatInt(n, 10))
		}
	}
	b, err := json.Marshal(body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"INTERNAL_ERROR","details":{},"message":"encoding failed","status":"error"}`)
	}
	x.w.WriteHeader(status)
	_, _ = x.w.Write(b) // a client that went away is not the simulator's error
	x.entry.Status = status
}

// fail answers a request-level error.
func (x *exchange) fail(e *apiError) {
	x.entry.Code = e.Code
	x.reply(e.httpStatus, e)
}

// drop closes the connection without an answer.
func (x *exchange) drop() {
	x.written = true
	hj, ok := x.w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http closes the connection quietly
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// pause applies a latency of d (none when d <= 0) and reports whether the
// client is still there.
func (x *exchange) pause(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	return x.wait(d)
}

// wait sleeps for d (0: until the client gives up or the server closes) and
// reports whether the client is still there.
func (x *exchange) wait(d time.Duration) bool {
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return true
	case <-x.r.Context().Done():
	case <-x.h.srv.closing:
	}
	return false
}

// readJSON reads the body as a JSON object, with numbers kept exact. An
// empty body reads as {}.
func (x *exchange) readJSON() (map[string]any, *apiError) {
	limit := x.h.sim.cfg.MaxBodyBytes
	b, err := io.ReadAll(http.MaxBytesReader(x.w, x.r.Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errBodyTooLarge(limit)
	}
	if err != nil {
		return nil, errBodyNotJSON()
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return map[string]any{}, nil
	}
	return decodeObject(b)
}

func decodeObject(b []byte) (map[string]any, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, errBodyNotJSON()
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errBodyNotJSON()
	}
	return m, nil
}
