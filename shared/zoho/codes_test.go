package zoho

import (
	"errors"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

// TestCodeTable classifies every code docs/ZOHO.md §2 and §3 list, at the
// status Zoho sends it with: the per-record outcome, and for request-level
// errors Retryable and the sentinels.
func TestCodeTable(t *testing.T) {
	tests := []struct {
		code    string
		status  int
		outcome core.Outcome
		retry   bool
		is      error
	}{
		{"INVALID_DATA", 400, core.Dead, false, nil},
		{"MANDATORY_NOT_FOUND", 400, core.Dead, false, nil},
		{"DUPLICATE_DATA", 400, core.Dead, false, nil},
		{"MULTIPLE_OR_MULTI_ERRORS", 400, core.Dead, false, nil},
		{"DEPENDENT_FIELD_MISSING", 400, core.Dead, false, nil},
		{"DEPENDENT_MISMATCH", 400, core.Dead, false, nil},
		{"LIMIT_EXCEEDED", 400, core.Dead, false, ErrLimitExceeded},
		{"RECORD_LOCKED", 400, core.Retry, true, nil},
		{"NOT_APPROVED", 400, core.Retry, true, nil},
		{"ALREADY_MODIFIED", 412, core.Retry, true, nil},
		{"INVALID_MODULE", 400, core.Dead, false, nil},
		{"INVALID_URL_PATTERN", 404, core.Dead, false, nil},
		{"INVALID_REQUEST_METHOD", 400, core.Dead, false, nil},
		{"NO_PERMISSION", 403, core.Dead, false, nil},
		{"AUTHORIZATION_FAILED", 400, core.Dead, false, nil},
		{"OAUTH_SCOPE_MISMATCH", 401, core.Dead, false, nil},
		{"INVALID_TOKEN", 401, core.Retry, true, ErrInvalidToken},
		{"AUTHENTICATION_FAILURE", 401, core.Retry, true, ErrInvalidToken},
		{"TOO_MANY_REQUESTS", 429, core.Retry, true, ErrRateLimited},
		{"INTERNAL_ERROR", 500, core.Retry, true, nil},
		{"DEPENDENT_SERVICE_ERROR", 400, core.Retry, true, nil},
		{"INVALID_REFERENCE", 400, core.Dead, false, nil},
		{"LOOPING_FOUND", 400, core.Dead, false, nil},
		{"AMBIGUITY_DURING_PROCESSING", 400, core.Dead, false, nil},
		{"NOT_ALLOWED", 400, core.Dead, false, nil},
		{"API_NOT_SUPPORTED", 400, core.Dead, false, nil},
		{"PROCESSING_STOPPED", 400, core.Retry, true, nil},
		{"ROLLBACK_PERFORMED", 400, core.Retry, true, nil},
		{"REQUEST_TIMEOUT", 400, core.Retry, true, nil},
		// Codes Zoho has not documented fall back to the status.
		{"SOMETHING_NEW", 400, core.Dead, false, nil},
		{"SOMETHING_NEW", 503, core.Retry, true, nil},
		{"", 502, core.Retry, true, nil},
		{"", 401, core.Dead, true, ErrInvalidToken},
		{"", 429, core.Retry, true, ErrRateLimited},
	}
	sentinels := []error{ErrInvalidToken, ErrRateLimited, ErrLimitExceeded}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if tt.code != "" {
				if got := outcomeFor(tt.code, tt.status); got != tt.outcome {
					t.Errorf("record outcome = %v, want %v", got, tt.outcome)
				}
			}
			err := &APIError{Status: tt.status, Code: tt.code}
			if err.Retryable() != tt.retry || Retryable(err) != tt.retry {
				t.Errorf("Retryable = %v, want %v", err.Retryable(), tt.retry)
			}
			for _, s := range sentinels {
				if got, want := errors.Is(err, s), s == tt.is; got != want {
					t.Errorf("errors.Is(%v) = %v, want %v", s, got, want)
				}
			}
		})
	}
}

func TestProblemOf(t *testing.T) {
	tests := []struct {
		err  error
		code string
	}{
		{&APIError{Status: 401, Code: "INVALID_TOKEN", Message: "invalid oauth token"}, "INVALID_TOKEN"},
		{&APIError{Status: 502}, "HTTP_502"},
		{&TransportError{Op: "POST /crm/v8/Leads", Timeout: true, Err: errors.New("deadline")}, "TIMEOUT"},
		{&TransportError{Op: "POST /crm/v8/Leads", Err: errors.New("reset")}, "CONNECTION_ERROR"},
		{&ResponseError{Status: 200, Reason: "no content"}, "UNUSABLE_RESPONSE"},
		{errors.New("other"), "CLIENT_ERROR"},
	}
	for _, tt := range tests {
		if got := ProblemOf(tt.err).Code; got != tt.code {
			t.Errorf("ProblemOf(%v).Code = %s, want %s", tt.err, got, tt.code)
		}
	}
}
