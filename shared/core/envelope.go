package core

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// EnvelopeVersion is the format version written by this code. Readers accept
// this version only; a newer producer must bump it.
const EnvelopeVersion = 1

// Envelope is the body of one events-queue message: a verified webhook as
// received, plus retry state once it has been requeued. The zero value is
// not valid; ingest builds envelopes and sync reads them.
type Envelope struct {
	V          int       `json:"v"`
	Source     string    `json:"source"`
	EventID    string    `json:"event_id"`
	Org        string    `json:"org"`
	ReceivedAt time.Time `json:"received_at"`
	// ContentType is the request's Content-Type, needed to parse forms.
	ContentType string `json:"content_type,omitempty"`
	// Headers are the request headers a mapping may read (lower-case names).
	// Signature and authorization headers are never kept.
	Headers map[string]string `json:"headers,omitempty"`

	// Body is the raw request body as text; BodyEncoding "base64" marks a body
	// that was not valid UTF-8. BodyRef names an out-of-band copy (a blob in the
	// state table) when the body did not fit in a queue message; Body is then
	// empty. BodySize and BodySHA256 describe the original bytes either way.
	Body         string `json:"body,omitempty"`
	BodyEncoding string `json:"body_encoding,omitempty"`
	BodyRef      string `json:"body_ref,omitempty"`
	BodySize     int    `json:"body_size"`
	BodySHA256   string `json:"body_sha256"`

	// Attempt counts deliveries to Zoho already tried (0 on the first pass).
	Attempt int `json:"attempt,omitempty"`
	// FirstAttemptAt is when sync first handled the event; with Attempt it
	// decides when a record is dead-lettered instead of retried.
	FirstAttemptAt *time.Time `json:"first_attempt_at,omitempty"`
	// NotBefore holds a retry back until this time. SQS delays top out at
	// 900 s, so a longer wait re-delays the message each time it arrives early.
	NotBefore *time.Time `json:"not_before,omitempty"`
	// Ops, when set, are the operations still to do (already mapped, with
	// references to finished operations resolved). Empty means: map the body.
	Ops []Operation `json:"ops,omitempty"`
	// LastProblem is the most recent retryable failure, kept for the dead
	// letter written if the retries run out.
	LastProblem *Problem `json:"last_problem,omitempty"`
	// Replay names the dead letter this envelope replays, if any.
	Replay string `json:"replay,omitempty"`
}

// SetBody stores raw as the envelope's inline body, choosing the encoding.
func (e *Envelope) SetBody(raw []byte) {
	e.BodySize = len(raw)
	if utf8.Valid(raw) {
		e.Body, e.BodyEncoding = string(raw), ""
		return
	}
	e.Body, e.BodyEncoding = base64.StdEncoding.EncodeToString(raw), "base64"
}

// RawBody returns the inline body bytes. It fails for an out-of-band body
// (BodyRef set), which the caller must fetch from the blob store.
func (e *Envelope) RawBody() ([]byte, error) {
	if e.BodyRef != "" && e.Body == "" {
		return nil, ErrBodyOutOfBand
	}
	switch e.BodyEncoding {
	case "":
		return []byte(e.Body), nil
	case "base64":
		b, err := base64.StdEncoding.DecodeString(e.Body)
		if err != nil {
			return nil, fmt.Errorf("decode base64 body: %w", err)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("unknown body encoding %q", e.BodyEncoding)
	}
}

// ErrBodyOutOfBand reports that an envelope's body lives in the blob store.
var ErrBodyOutOfBand = errors.New("body stored out of band")

// Marshal encodes the envelope as a queue message body.
func (e *Envelope) Marshal() ([]byte, error) {
	return json.Marshal(e)
}

// UnmarshalEnvelope decodes a queue message body, keeping numbers exact, and
// checks the fields every envelope must have.
func UnmarshalEnvelope(b []byte) (*Envelope, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var e Envelope
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("decode envelope: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode envelope: trailing data")
	}
	if e.V != EnvelopeVersion {
		return nil, fmt.Errorf("envelope version %d, want %d", e.V, EnvelopeVersion)
	}
	if e.Source == "" || e.EventID == "" || e.Org == "" {
		return nil, errors.New("envelope lacks source, event_id or org")
	}
	return &e, nil
}

// Problem is a failure as Zoho (or zohosync) described it.
type Problem struct {
	Code    string          `json:"code"`
	Message string          `json:"message,omitempty"`
	Details json.RawMessage `json:"details,omitempty"`
	// Status is the HTTP status that carried it (0 when none, e.g. a mapping error).
	Status int `json:"status,omitempty"`
}

func (p *Problem) Error() string {
	if p.Message == "" {
		return p.Code
	}
	return p.Code + ": " + p.Message
}
