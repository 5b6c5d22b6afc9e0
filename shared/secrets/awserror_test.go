package secrets

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
)

// FuzzAPIError feeds newAPIError any status, body and error-type header:
// it never panics, and the error it builds is bounded and printable.
func FuzzAPIError(f *testing.F) {
	f.Add(400, `{"__type":"ParameterNotFound","message":"Parameter /x not found."}`, "")
	f.Add(400, `{"__type":"com.amazonaws.ssm#ThrottlingException:http://x","Message":"Rate exceeded"}`, "")
	f.Add(503, ``, "ServiceUnavailable")
	f.Add(500, "{\"message\":\"a\\nb\\u0000\"}", "")
	f.Fuzz(func(t *testing.T, status int, body, header string) {
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		resp.Header.Set("X-Amzn-ErrorType", header)
		e := newAPIError("ssm", resp, []byte(body))
		if e.Code == "" || len(e.Code) > 64 || len(e.Message) > maxMessage || len(e.RequestID) > 64 {
			t.Fatalf("APIError %+v is not bounded", e)
		}
		msg := e.Error()
		if strings.IndexFunc(msg, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
			t.Fatalf("Error() %q has unprintable characters", msg)
		}
		_ = e.Retryable()
	})
}

func TestAPIErrorIs(t *testing.T) {
	tests := []struct {
		code                        string
		status                      int
		notFound, denied, throttled bool
		retryable                   bool
	}{
		{"ParameterNotFound", 400, true, false, false, false},
		{"ResourceNotFoundException", 400, true, false, false, false},
		{"AccessDeniedException", 400, false, true, false, false},
		{"ExpiredTokenException", 400, false, true, false, false},
		{"HTTP403", 403, false, true, false, false},
		{"ThrottlingException", 400, false, false, true, true},
		{"HTTP429", 429, false, false, true, true},
		{"InternalServerError", 500, false, false, false, true},
		{"DecryptionFailure", 400, false, false, false, false},
	}
	for _, tt := range tests {
		e := &APIError{Service: "ssm", Status: tt.status, Code: tt.code}
		got := [4]bool{e.Is(ErrNotFound), e.Is(ErrAccessDenied), e.Is(ErrThrottled), e.Retryable()}
		want := [4]bool{tt.notFound, tt.denied, tt.throttled, tt.retryable}
		if got != want {
			t.Errorf("%s/%d: notFound, denied, throttled, retryable = %v, want %v", tt.code, tt.status, got, want)
		}
	}
}
