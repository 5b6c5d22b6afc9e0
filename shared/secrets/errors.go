package secrets

import "errors"

// Error is a failure to resolve one reference. It names the reference,
// never the value.
type Error struct {
	Ref string
	Err error
}

func (e *Error) Error() string { return "secret " + e.Ref + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Conditions callers and tests branch on; an *Error wraps one of them or
// the client's error (an *APIError for an answer from AWS).
var (
	// ErrBadRef: the reference cannot be parsed.
	ErrBadRef = errors.New("bad secret reference")
	// ErrNotFound: the variable, parameter or secret does not exist.
	ErrNotFound = errors.New("not found")
	// ErrEmpty: the value exists but is empty.
	ErrEmpty = errors.New("value is empty")
	// ErrNoClient: the resolver was built without the client this kind needs.
	ErrNoClient = errors.New("no client configured")
	// ErrNotJSON: a #key reference names a secret that is not a JSON object.
	ErrNotJSON = errors.New("secret is not a JSON object")
	// ErrNoKey: the JSON secret has no string field of that name.
	ErrNoKey = errors.New("JSON secret has no string field of that name")
	// ErrAccessDenied: AWS refused the caller's credentials or permissions.
	ErrAccessDenied = errors.New("access denied")
	// ErrThrottled: AWS kept throttling the calls until the retries ran out.
	ErrThrottled = errors.New("throttled")
	// ErrBadResponse: AWS answered with a body that is not what the API
	// reference describes, or one larger than the size cap.
	ErrBadResponse = errors.New("unexpected response")
	// ErrAWSConfig: the AWS configuration lacks a region or credentials, or
	// an endpoint override is not an http(s) URL.
	ErrAWSConfig = errors.New("incomplete AWS configuration")
)
