package zohosim

import "net/http"

// apiError is Zoho's error shape, used top-level for request errors and
// inside data[] for record errors: {code, details, message, status}.
type apiError struct {
	httpStatus int
	Code       string         `json:"code"`
	Details    map[string]any `json:"details"`
	Message    string         `json:"message"`
	Status     string         `json:"status"`
}

func newError(httpStatus int, code, message string, details map[string]any) *apiError {
	if details == nil {
		details = map[string]any{}
	}
	return &apiError{httpStatus: httpStatus, Code: code, Details: details, Message: message, Status: "error"}
}

// Request-level errors. Messages follow the samples in testdata/zoho; never
// match on them.
func errInvalidURL() *apiError {
	return newError(http.StatusNotFound, "INVALID_URL_PATTERN",
		"Please check if the URL trying to access is a correct one", nil)
}

func errInvalidMethod() *apiError {
	return newError(http.StatusBadRequest, "INVALID_REQUEST_METHOD",
		"The http request method type is not a valid one", nil)
}

func errInvalidModule() *apiError {
	return newError(http.StatusBadRequest, "INVALID_MODULE",
		"The module name given seems to be invalid", map[string]any{"resource_path_index": 0})
}

func errNotSupported(what string) *apiError {
	return newError(http.StatusBadRequest, "NOT_SUPPORTED",
		"zohosim does not implement "+what, nil)
}

func errAPINotSupported() *apiError {
	return newError(http.StatusBadRequest, "API_NOT_SUPPORTED",
		"the API is not supported in this version", nil)
}

func errInvalidToken() *apiError {
	return newError(http.StatusUnauthorized, "INVALID_TOKEN", "invalid oauth token", nil)
}

func errAuthFailure() *apiError {
	return newError(http.StatusUnauthorized, "AUTHENTICATION_FAILURE", "Authentication failed", nil)
}

func errScopeMismatch() *apiError {
	return newError(http.StatusUnauthorized, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL", nil)
}

func errTooManyRequests() *apiError {
	return newError(http.StatusTooManyRequests, "TOO_MANY_REQUESTS",
		"too many requests. please try again after some time", nil)
}

func errBodyNotJSON() *apiError {
	return newError(http.StatusBadRequest, "INVALID_DATA", "the request body is not a valid JSON object",
		map[string]any{"expected_data_type": "jsonobject"})
}

func errBodyTooLarge(limit int64) *apiError {
	return newError(http.StatusBadRequest, "LIMIT_EXCEEDED", "request body too large",
		map[string]any{"by": "size", "limit": limit})
}

func errRecordLimit(limit int) *apiError {
	return newError(http.StatusBadRequest, "LIMIT_EXCEEDED", "Record count exceeded",
		map[string]any{"api_name": "data", "json_path": "$.data", "limit": limit})
}

// errSubRecordLimit is the inner body of a composite write sub-request with
// more than one record.
func errSubRecordLimit(limit int) *apiError {
	return newError(http.StatusBadRequest, "LIMIT_EXCEEDED", "limit exceeded",
		map[string]any{"by": "limit", "limit": limit})
}

func errMandatoryKey(apiName, path string) *apiError {
	return newError(http.StatusBadRequest, "MANDATORY_NOT_FOUND", "required field not found",
		map[string]any{"api_name": apiName, "json_path": path})
}

func errInvalidKey(apiName, path string, extra map[string]any) *apiError {
	d := map[string]any{"api_name": apiName, "json_path": path}
	for k, v := range extra {
		d[k] = v
	}
	return newError(http.StatusBadRequest, "INVALID_DATA", "invalid data", d)
}
