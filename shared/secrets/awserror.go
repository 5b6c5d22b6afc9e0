package secrets

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// APIError is an error answer from SSM or Secrets Manager. It carries
// AWS's error code and message, which name at most the parameter or
// secret, never its value. Match it with errors.Is against ErrNotFound,
// ErrAccessDenied or ErrThrottled, or read it with errors.As.
type APIError struct {
	// Service is "ssm" or "secretsmanager".
	Service string
	// Status is the HTTP status code.
	Status int
	// Code is the error code without any namespace ("ParameterNotFound").
	Code string
	// Message is AWS's message, shortened.
	Message string
	// RequestID is AWS's request id, for support cases.
	RequestID string
}

func (e *APIError) Error() string {
	s := e.Service + " " + e.Code + " (HTTP " + strconv.Itoa(e.Status)
	if e.RequestID != "" {
		s += ", request " + e.RequestID
	}
	s += ")"
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is reports whether the error is one of the conditions callers branch on.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return notFoundCodes[e.Code]
	case ErrAccessDenied:
		return deniedCodes[e.Code] || e.Status == http.StatusForbidden
	case ErrThrottled:
		return e.throttled()
	}
	return false
}

// Retryable reports whether the same call may succeed later: throttling
// and server-side failures.
func (e *APIError) Retryable() bool {
	return e.throttled() || e.Status >= 500 || transientCodes[e.Code]
}

func (e *APIError) throttled() bool {
	return throttleCodes[e.Code] || e.Status == http.StatusTooManyRequests
}

// Error codes by meaning, from the SSM and Secrets Manager API references
// and the common errors of AWS JSON APIs.
var (
	notFoundCodes = map[string]bool{
		"ParameterNotFound": true, "ParameterVersionNotFound": true, "ResourceNotFoundException": true,
	}
	deniedCodes = map[string]bool{
		"AccessDeniedException": true, "AccessDenied": true, "UnrecognizedClientException": true,
		"InvalidSignatureException": true, "IncompleteSignature": true, "ExpiredTokenException": true,
		"MissingAuthenticationTokenException": true, "InvalidClientTokenId": true,
	}
	throttleCodes = map[string]bool{
		"ThrottlingException": true, "Throttling": true, "ThrottledException": true,
		"RequestThrottledException": true, "TooManyRequestsException": true,
		"RequestLimitExceeded": true, "RequestThrottled": true, "SlowDown": true,
	}
	transientCodes = map[string]bool{
		"InternalServerError": true, "InternalFailure": true, "InternalServiceError": true,
		"ServiceUnavailable": true, "RequestTimeout": true, "RequestTimeoutException": true,
	}
)

// maxMessage bounds the message an APIError keeps, in bytes.
const maxMessage = 256

// newAPIError reads an AWS JSON error answer: {"__type": "...",
// "message": "..."}, the code possibly prefixed by a namespace
// ("com.amazonaws.ssm#ParameterNotFound") or followed by a URI after ':';
// the X-Amzn-ErrorType header stands in for a missing __type.
func newAPIError(service string, resp *http.Response, body []byte) *APIError {
	var wire struct {
		Type     string `json:"__type"`
		Code     string `json:"code"`
		Message  string `json:"message"`
		MessageU string `json:"Message"`
	}
	_ = json.Unmarshal(body, &wire) // an unreadable body leaves the status alone to speak
	code := firstNonEmpty(wire.Type, wire.Code, resp.Header.Get("X-Amzn-ErrorType"))
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	code, _, _ = strings.Cut(code, ":")
	if code == "" {
		code = "HTTP" + strconv.Itoa(resp.StatusCode)
	}
	return &APIError{
		Service:   service,
		Status:    resp.StatusCode,
		Code:      clean(code, 64),
		Message:   clean(firstNonEmpty(wire.Message, wire.MessageU), maxMessage),
		RequestID: clean(resp.Header.Get("X-Amzn-RequestId"), 64),
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// clean keeps at most n bytes of s's printable characters, so that a
// remote answer cannot forge log lines or flood them.
func clean(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if !unicode.IsPrint(r) {
			r = ' '
		}
		if b.Len()+len(string(r)) > n {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}
