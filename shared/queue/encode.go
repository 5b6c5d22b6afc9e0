package queue

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/shared/core"
)

// MaxDelay is SQS's longest per-message delay.
const MaxDelay = 900 * time.Second

// ClampDelay converts d to SQS DelaySeconds: rounded up to whole seconds
// (a retry never comes early) and clamped into [0, 900].
func ClampDelay(d time.Duration) int32 {
	switch {
	case d <= 0:
		return 0
	case d >= MaxDelay:
		return int32(MaxDelay / time.Second)
	}
	return int32((d + time.Second - 1) / time.Second)
}

// encode marshals env as SQS can carry it: JSON without HTML escaping
// (smaller, same meaning), with U+FFFE and U+FFFF — valid UTF-8 that SQS
// rejects in a message — written as \u escapes. They can only occur inside
// JSON strings, where the escape means the same character.
func encode(env *core.Envelope) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(env); err != nil {
		return nil, fmt.Errorf("encode envelope: %w", err)
	}
	return escapeNonCharacters(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// escapeNonCharacters rewrites U+FFFE and U+FFFF as \ufffe and \uffff.
func escapeNonCharacters(b []byte) []byte {
	if !bytes.Contains(b, []byte{0xEF, 0xBF, 0xBE}) && !bytes.Contains(b, []byte{0xEF, 0xBF, 0xBF}) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch r {
		case 0xFFFE:
			out = append(out, `\ufffe`...)
		case 0xFFFF:
			out = append(out, `\uffff`...)
		default:
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// Message attribute names, for filtering in the console.
const (
	AttrSource  = "source"
	AttrOrg     = "org"
	AttrEventID = "event_id"
)

// maxAttrValue bounds an attribute value; longer ones are left out.
const maxAttrValue = 256

// attributes returns the message attributes for env. Values SQS would
// reject (empty, too long, characters outside its allowed set) are left out:
// they are conveniences, never worth failing a send.
func attributes(env *core.Envelope) map[string]types.MessageAttributeValue {
	attrs := make(map[string]types.MessageAttributeValue, 3)
	for name, v := range map[string]string{AttrSource: env.Source, AttrOrg: env.Org, AttrEventID: env.EventID} {
		if v != "" && len(v) <= maxAttrValue && sqsText(v) {
			attrs[name] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
		}
	}
	return attrs
}

// sqsText reports whether s holds only characters SQS accepts:
// #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF.
func sqsText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == 0x9 || r == 0xA || r == 0xD:
		case r >= 0x20 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		case r >= 0x10000 && r <= 0x10FFFF:
		default:
			return false
		}
	}
	return true
}

// messageSize is what SQS counts against its size limit: the body plus each
// attribute's name, type and value.
func messageSize(body []byte, attrs map[string]types.MessageAttributeValue) int {
	n := len(body)
	for name, a := range attrs {
		n += len(name) + len(aws.ToString(a.DataType)) + len(aws.ToString(a.StringValue)) + len(a.BinaryValue)
	}
	return n
}

// BlobKey names the out-of-band copy of an event's body: derived from the
// source, the event id and the body's SHA-256, so sending the same event
// again reuses the blob and different bodies never share one.
func BlobKey(source, eventID string, bodySHA256 [32]byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s;%d:%s;", len(source), source, len(eventID), eventID)
	return "q/" + hex.EncodeToString(h.Sum(nil)[:16]) + "/" + hex.EncodeToString(bodySHA256[:16])
}
