package webhook

import "errors"

// Code names why a delivery failed verification. Codes are stable and safe
// to show to the sender.
type Code string

// The verification failure codes.
const (
	// CodeHeaderMissing: a header the scheme needs is absent or empty.
	CodeHeaderMissing Code = "signature_header_missing"
	// CodeMalformed: a signature or timestamp header cannot be parsed.
	CodeMalformed Code = "signature_malformed"
	// CodeMismatch: no signature matches any configured secret.
	CodeMismatch Code = "signature_mismatch"
	// CodeTimestamp: the signed timestamp is too old or too far ahead.
	CodeTimestamp Code = "timestamp_outside_tolerance"
)

// Error is a verification failure. Reason is a fixed text that names the
// header involved; it never holds a secret, a received or an expected
// signature.
type Error struct {
	Code   Code
	Reason string
}

func (e *Error) Error() string {
	if e.Reason == "" {
		return "webhook: " + string(e.Code)
	}
	return "webhook: " + string(e.Code) + ": " + e.Reason
}

// Is makes errors.Is(err, ErrMismatch) and the like match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == "" && t.Code == e.Code
}

// Sentinels for errors.Is: an *Error matches the sentinel of its code.
var (
	ErrHeaderMissing = &Error{Code: CodeHeaderMissing}
	ErrMalformed     = &Error{Code: CodeMalformed}
	ErrMismatch      = &Error{Code: CodeMismatch}
	ErrTimestamp     = &Error{Code: CodeTimestamp}
)

// ErrConfig wraps every error of New: the verify settings or the secrets
// cannot make a verifier.
var ErrConfig = errors.New("webhook: invalid verify config")

func missing(header string) *Error {
	return &Error{Code: CodeHeaderMissing, Reason: header + " header is missing"}
}

func malformed(reason string) *Error {
	return &Error{Code: CodeMalformed, Reason: reason}
}

func mismatch(header string) *Error {
	return &Error{Code: CodeMismatch, Reason: "no signature in " + header + " matches"}
}
