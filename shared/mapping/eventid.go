package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// maxEventID is the longest event id used as is; longer ones are hashed so
// they fit a DynamoDB key comfortably.
const maxEventID = 200

// EventID returns the sender's id for one delivery: the configured header,
// else the configured body expression, else (or when those give nothing)
// the hex SHA-256 of the body. Redeliveries of one event get the same id.
// Ids longer than 200 bytes, or with control characters, are replaced by
// "sha256:" and the hex SHA-256 of the id. It fails with ErrUnknownSource
// for a source the config lacks and a *BodyError when the body expression
// cannot read the body.
func (m *Mapper) EventID(sourceName string, headers http.Header, body []byte, contentType string) (string, error) {
	src, ok := m.sources[sourceName]
	if !ok {
		return "", fmt.Errorf("event id for %q: %w", sourceName, ErrUnknownSource)
	}
	if src.eventHeader != "" {
		if id := strings.TrimSpace(headers.Get(src.eventHeader)); id != "" {
			return clean(id), nil
		}
	}
	if src.eventExpr != nil {
		id, err := src.exprID(headers, body, contentType)
		if err != nil || id != "" {
			return id, err
		}
	}
	return hashHex(body), nil
}

// exprID evaluates the body expression; "" means it gave nothing.
func (s *source) exprID(headers http.Header, body []byte, contentType string) (string, error) {
	data, err := decodeBody(body, contentType)
	if err != nil {
		return "", fmt.Errorf("event id: %w", err)
	}
	hv := make(map[string]any, len(headers))
	for k, v := range headers {
		if len(v) > 0 {
			hv[strings.ToLower(k)] = v[0]
		}
	}
	v, err := s.eventExpr.Eval(data, map[string]any{"headers": hv, "source": s.name, "org": s.org, "event_id": nil, "received_at": nil})
	if err != nil {
		return "", fmt.Errorf("event id expression: %w", err)
	}
	switch x := v.(type) {
	case string:
		return clean(strings.TrimSpace(x)), nil
	case json.Number:
		return clean(string(x)), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("event id expression gives %s, want a string or number", describe(v))
}

// clean keeps an id usable as a key.
func clean(id string) string {
	if len(id) > maxEventID || strings.IndexFunc(id, unicode.IsControl) >= 0 {
		return "sha256:" + hashHex([]byte(id))
	}
	return id
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
