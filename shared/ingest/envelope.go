package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/webhook"
)

// maxEventID bounds an event id: it becomes part of a DynamoDB key.
const maxEventID = 512

// validEventID accepts non-empty, bounded, printable UTF-8 ids.
func validEventID(id string) bool {
	if id == "" || len(id) > maxEventID || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// envelope wraps a verified delivery for the events queue.
func (s *source) envelope(id string, h webhook.Header, contentType string, body []byte, at time.Time) *core.Envelope {
	sum := sha256.Sum256(body)
	env := &core.Envelope{
		V:           core.EnvelopeVersion,
		Source:      s.name,
		EventID:     id,
		Org:         s.org,
		ReceivedAt:  at.UTC(),
		ContentType: contentType,
		Headers:     s.keptHeaders(h),
		BodySHA256:  hex.EncodeToString(sum[:]),
	}
	env.SetBody(body)
	return env
}

// sensitiveParts mark header names whose values are credentials.
var sensitiveParts = []string{"signature", "authorization", "cookie", "api-key", "apikey",
	"token", "secret", "password", "hmac", "x-amz-security"}

// droppedHeaders carry client addresses (personal data) or transport
// details no mapping needs.
var droppedHeaders = map[string]bool{"x-forwarded-for": true, "forwarded": true, "x-real-ip": true,
	"content-length": true, "connection": true}

// keptHeaders are the headers a mapping may read: everything but
// credentials, the verifier's own headers, client addresses and AWS
// infrastructure headers.
func (s *source) keptHeaders(h webhook.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if s.secretHeaders[k] || droppedHeaders[k] || strings.HasPrefix(k, "x-amzn-") {
			continue
		}
		if containsAny(k, sensitiveParts) {
			continue
		}
		out[k] = v
	}
	return out
}

func containsAny(s string, parts []string) bool {
	for _, p := range parts {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
