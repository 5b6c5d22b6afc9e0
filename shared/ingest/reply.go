package ingest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Error codes of non-2xx answers besides the verifier's (see package doc).
const (
	CodeNotFound         = "not_found"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeUnknownSource    = "unknown_source"
	CodeBodyTooLarge     = "body_too_large"
	CodeMalformedBody    = "malformed_body"
	CodeMalformedJSON    = "malformed_json"
	CodeMalformedForm    = "malformed_form"
	CodeUnsupportedType  = "unsupported_media_type"
	CodeEventIDInvalid   = "event_id_invalid"
	CodeInProgress       = "in_progress"
	CodeEnqueueFailed    = "enqueue_failed"
)

// outcome is what the handler decided: the answer and what to log.
type outcome struct {
	status  int
	code    string // error code; "" for 2xx
	message string // human text for the sender; never internal error text
	src     *source
	eventID string
	// err is the internal cause, for the log only.
	err        error
	retryAfter time.Duration
	allow      string
}

func fail(status int, code, message string) *outcome {
	return &outcome{status: status, code: code, message: message}
}

// replyBody is every JSON body the handler sends.
type replyBody struct {
	Status  string `json:"status,omitempty"`
	Error   string `json:"error,omitempty"`
	Message string `json:"message,omitempty"`
	EventID string `json:"event_id,omitempty"`
}

// response is the one place answers are written.
func (o *outcome) response() events.APIGatewayV2HTTPResponse {
	b := replyBody{Error: o.code, Message: o.message, EventID: o.eventID}
	switch o.status {
	case http.StatusAccepted:
		b = replyBody{Status: "accepted", EventID: o.eventID}
	case http.StatusOK:
		b = replyBody{Status: "duplicate", EventID: o.eventID}
	}
	data, _ := json.Marshal(b) // strings only: cannot fail
	hdr := map[string]string{"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}
	if o.retryAfter > 0 {
		hdr["Retry-After"] = strconv.Itoa(int((o.retryAfter + time.Second - 1) / time.Second))
	}
	if o.allow != "" {
		hdr["Allow"] = o.allow
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: o.status, Headers: hdr, Body: string(data)}
}
