package zoho

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/zohosync/zohosync/shared/core"
)

// Sentinels for errors.Is. An *APIError matches the first three by its
// code and status.
var (
	// ErrInvalidToken: 401 INVALID_TOKEN or AUTHENTICATION_FAILURE (or a
	// 401 without a code). Invalidate exactly the token used, refresh once,
	// retry once.
	ErrInvalidToken = errors.New("zoho: access token refused")
	// ErrRateLimited: 429 TOO_MANY_REQUESTS; credits or concurrency ran out
	// (Zoho does not say which). Back off the whole org.
	ErrRateLimited = errors.New("zoho: too many requests")
	// ErrLimitExceeded: Zoho refused the call's size (LIMIT_EXCEEDED at the
	// request level), a planner bug: split the call and retry once.
	ErrLimitExceeded = errors.New("zoho: call exceeds a Zoho limit")
	// ErrInvalidCall: the call was not sent because Zoho would refuse it
	// whole (wrong size, bad sub-request ids or references).
	ErrInvalidCall = errors.New("zoho: invalid call")
	// ErrBadDomain: the API domain is unusable (not https, wrong data
	// centre); nothing was sent.
	ErrBadDomain = errors.New("zoho: unusable API domain")
)

// APIError is a request-level failure Zoho answered: its HTTP status and
// the code, message and details of the top-level error object (Code is
// empty when the body had none, e.g. a gateway's HTML page).
type APIError struct {
	Status  int
	Code    string
	Message string
	Details json.RawMessage
}

// Error gives status, code and Zoho's message (never a token or body).
func (e *APIError) Error() string {
	code := e.Code
	if code == "" {
		code = http.StatusText(e.Status)
	}
	if e.Message == "" {
		return fmt.Sprintf("zoho: %d %s", e.Status, code)
	}
	return fmt.Sprintf("zoho: %d %s: %s", e.Status, code, e.Message)
}

// Retryable reports whether the same call may succeed later: 429, 5xx,
// INTERNAL_ERROR, and INVALID_TOKEN / AUTHENTICATION_FAILURE after a token
// refresh. Bad module, permission, scope, URL or method never will.
func (e *APIError) Retryable() bool {
	if c, ok := lookupCode(e.Code); ok {
		return c.retry
	}
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// Is matches ErrInvalidToken, ErrRateLimited and ErrLimitExceeded.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrInvalidToken:
		return e.Code == "INVALID_TOKEN" || e.Code == "AUTHENTICATION_FAILURE" ||
			(e.Code == "" && e.Status == http.StatusUnauthorized)
	case ErrRateLimited:
		return e.Code == "TOO_MANY_REQUESTS" || e.Status == http.StatusTooManyRequests
	case ErrLimitExceeded:
		return e.Code == "LIMIT_EXCEEDED"
	}
	return false
}

// Problem returns the failure as a core.Problem, for results and dead
// letters.
func (e *APIError) Problem() *core.Problem {
	code := e.Code
	if code == "" {
		code = fmt.Sprintf("HTTP_%d", e.Status)
	}
	return &core.Problem{Code: code, Message: e.Message, Details: e.Details, Status: e.Status}
}

// TransportError is a call that got no usable answer: the connection
// failed, timed out or broke while the body was read. Whether Zoho applied
// the writes is unknown unless MaybeApplied is false; an upsert is
// idempotent, so retrying one is safe; an insert may be duplicated.
type TransportError struct {
	Op      string
	Timeout bool
	// Sent is false when the request surely never left (dial failure).
	Sent bool
	Err  error
}

// Error names the request and what went wrong.
func (e *TransportError) Error() string {
	what := "connection failed"
	if e.Timeout {
		what = "timed out"
	}
	return fmt.Sprintf("zoho: %s %s: %v", e.Op, what, e.Err)
}

// Unwrap returns the underlying network or context error.
func (e *TransportError) Unwrap() error { return e.Err }

// Retryable is always true: no answer says the call cannot succeed.
func (e *TransportError) Retryable() bool { return true }

// MaybeApplied reports whether Zoho may have applied the call.
func (e *TransportError) MaybeApplied() bool { return e.Sent }

// Problem returns the failure as a core.Problem.
func (e *TransportError) Problem() *core.Problem {
	code := "CONNECTION_ERROR"
	if e.Timeout {
		code = "TIMEOUT"
	}
	return &core.Problem{Code: code, Message: e.Error()}
}

func transportError(ctx context.Context, op string, err error) *TransportError {
	te := &TransportError{Op: op, Err: err, Sent: true}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded ||
		(errors.As(err, &ne) && ne.Timeout()) {
		te.Timeout = true
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		te.Sent = false
	}
	return te
}

// ResponseError is an answer the client could not map to results with
// certainty: unreadable or oversized body, a count or index mismatch, a
// success without its data. Zoho may have applied the writes.
type ResponseError struct {
	Status int
	Reason string
	Err    error
}

// Error says why the answer was unusable.
func (e *ResponseError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("zoho: unusable %d response: %s: %v", e.Status, e.Reason, e.Err)
	}
	return fmt.Sprintf("zoho: unusable %d response: %s", e.Status, e.Reason)
}

// Unwrap returns the decoding error, if any.
func (e *ResponseError) Unwrap() error { return e.Err }

// Retryable is true: the outcome is unknown, and an upsert is idempotent.
func (e *ResponseError) Retryable() bool { return true }

// Problem returns the failure as a core.Problem.
func (e *ResponseError) Problem() *core.Problem {
	return &core.Problem{Code: "UNUSABLE_RESPONSE", Message: e.Error(), Status: e.Status}
}

// Retryable reports whether err, returned by Client.Do, may go away on a
// later attempt. Errors this package does not know are not retryable.
func Retryable(err error) bool {
	var r interface{ Retryable() bool }
	return errors.As(err, &r) && r.Retryable()
}

// ProblemOf describes err, returned by Client.Do, as a core.Problem.
func ProblemOf(err error) *core.Problem {
	var p interface{ Problem() *core.Problem }
	if errors.As(err, &p) {
		return p.Problem()
	}
	return &core.Problem{Code: "CLIENT_ERROR", Message: err.Error()}
}
