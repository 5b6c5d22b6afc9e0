package mapping

import (
	"errors"
	"strings"
)

// Codes of mapping errors; the dead letter carries them as its code.
const (
	CodeUnknownSource = "MAPPING_UNKNOWN_SOURCE"
	CodeBadBody       = "MAPPING_BAD_BODY"
	CodeExpression    = "MAPPING_EXPRESSION"
	CodeNoMatchKey    = "MAPPING_NO_MATCH_KEY"
	CodeEmptyField    = "MAPPING_EMPTY_FIELD"
	CodeNoRecordID    = "MAPPING_NO_RECORD_ID"
)

// Error is why one event could not be mapped. The event must be
// dead-lettered with it, never sent to Zoho. It marshals to JSON for the
// dead letter's details.
type Error struct {
	Code   string `json:"code"`
	Source string `json:"source,omitempty"`
	Route  string `json:"route,omitempty"`
	Op     string `json:"op,omitempty"`
	// Field is the Zoho field, or when / record_id for those expressions.
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("mapping")
	for _, p := range []struct{ k, v string }{{"source", e.Source}, {"route", e.Route}, {"op", e.Op}, {"field", e.Field}} {
		if p.v != "" {
			b.WriteString(" " + p.k + " " + p.v)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// ErrUnknownSource is returned by EventID for a source the config lacks.
var ErrUnknownSource = errors.New("unknown source")

// BodyError reports a body that cannot be read as its content type says.
type BodyError struct {
	ContentType string
	Reason      string
}

func (e *BodyError) Error() string {
	return "unreadable " + e.ContentType + " body: " + e.Reason
}
