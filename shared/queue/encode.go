package queue

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf16"
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
// (smaller, same meaning), with two kinds of characters written as \u
// escapes, which inside JSON strings (the only place they can occur) mean
// the same characters:
//   - U+FFFE and U+FFFF, valid UTF-8 that SQS rejects in a message;
//   - characters beyond U+FFFF (emoji, rare CJK), as UTF-16 surrogate pairs.
//     SQS accepts them, but keeping message bodies in the Basic Multilingual
//     Plane costs a few bytes and keeps every SQS implementation happy: the
//     pinned local emulator (fauxqs 2.4.1) checks bodies per UTF-16 unit and
//     refuses them.
func encode(env *core.Envelope) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(env); err != nil {
		return nil, fmt.Errorf("encode envelope: %w", err)
	}
	return escapeForSQS(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// escapeForSQS rewrites U+FFFE, U+FFFF and every character beyond U+FFFF as
// JSON \u escapes (see encode).
func escapeForSQS(b []byte) []byte {
	if !needsEscape(b) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == 0xFFFE || r == 0xFFFF:
			out = fmt.Appendf(out, `\u%04x`, r)
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
		default:
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// needsEscape reports whether b holds a 4-byte UTF-8 sequence (a character
// beyond U+FFFF) or U+FFFE/U+FFFF.
func needsEscape(b []byte) bool {
	for i, c := range b {
		if c >= 0xF0 {
			return true
		}
		if c == 0xEF && i+2 < len(b) && b[i+1] == 0xBF && (b[i+2] == 0xBE || b[i+2] == 0xBF) {
			return true
		}
	}
	return false
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
