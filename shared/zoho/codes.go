package zoho

import "github.com/zohosync/zohosync/shared/core"

// codeClass is how zohosync treats one Zoho error code.
type codeClass struct {
	// retry: the same write may succeed later (for a record: requeue it;
	// for a request: retry the call, after a token refresh for 401s).
	retry bool
}

// codes classifies every error code docs/ZOHO.md §2 and §3 name. Codes not
// listed are classified by HTTP status (see outcomeFor and APIError).
var codes = map[string]codeClass{
	// Fix the payload or the configuration; retrying cannot help.
	"INVALID_DATA":             {},
	"MANDATORY_NOT_FOUND":      {},
	"DUPLICATE_DATA":           {},
	"MULTIPLE_OR_MULTI_ERRORS": {},
	"DEPENDENT_FIELD_MISSING":  {},
	"DEPENDENT_MISMATCH":       {},
	"LIMIT_EXCEEDED":           {},
	"INVALID_MODULE":           {},
	"INVALID_URL_PATTERN":      {},
	"INVALID_REQUEST_METHOD":   {},
	"NO_PERMISSION":            {},
	"AUTHORIZATION_FAILED":     {},
	"OAUTH_SCOPE_MISMATCH":     {},
	// Composite request errors that only a different request fixes.
	"INVALID_REFERENCE":           {},
	"LOOPING_FOUND":               {},
	"AMBIGUITY_DURING_PROCESSING": {},
	"NOT_ALLOWED":                 {},
	"API_NOT_SUPPORTED":           {},
	// Transient: the record or the service is busy, or the token must be
	// refreshed first.
	"RECORD_LOCKED":           {retry: true},
	"NOT_APPROVED":            {retry: true},
	"ALREADY_MODIFIED":        {retry: true},
	"INVALID_TOKEN":           {retry: true},
	"AUTHENTICATION_FAILURE":  {retry: true},
	"TOO_MANY_REQUESTS":       {retry: true},
	"INTERNAL_ERROR":          {retry: true},
	"DEPENDENT_SERVICE_ERROR": {retry: true},
	"PROCESSING_STOPPED":      {retry: true},
	"ROLLBACK_PERFORMED":      {retry: true},
	"REQUEST_TIMEOUT":         {retry: true},
}

func lookupCode(code string) (codeClass, bool) {
	c, ok := codes[code]
	return c, ok
}

// outcomeFor is the outcome of a record that failed with code under HTTP
// status: by the table, else Retry for 429 and 5xx and Dead otherwise.
func outcomeFor(code string, status int) core.Outcome {
	if c, ok := lookupCode(code); ok {
		if c.retry {
			return core.Retry
		}
		return core.Dead
	}
	if status == 429 || status >= 500 {
		return core.Retry
	}
	return core.Dead
}
