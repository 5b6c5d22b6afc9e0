package samples

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Signature headers, in the case the samples use.
const (
	StripeHeader   = "Stripe-Signature"
	CalendlyHeader = "Calendly-Webhook-Signature"
	ShopifyHeader  = "X-Shopify-Hmac-Sha256"
	TypeformHeader = "Typeform-Signature"
)

// Sign returns the signature header a sender would put on body, signed with
// secret at time now (ignored by schemes without a timestamp).
func Sign(source, secret string, body []byte, now time.Time) (name, value string, err error) {
	switch source {
	case "stripe":
		return StripeHeader, timestamped(secret, body, now), nil
	case "calendly":
		return CalendlyHeader, timestamped(secret, body, now), nil
	case "shopify":
		return ShopifyHeader, base64.StdEncoding.EncodeToString(mac(secret, body)), nil
	case "typeform":
		return TypeformHeader, "sha256=" + base64.StdEncoding.EncodeToString(mac(secret, body)), nil
	}
	return "", "", fmt.Errorf("no signing scheme known for source %q", source)
}

// SignsTimestamp reports whether a source's signature covers a timestamp,
// so that old samples must be re-signed before a verifier with a tolerance
// accepts them.
func SignsTimestamp(source string) bool { return source == "stripe" || source == "calendly" }

// Resign returns a copy of headers whose timestamped signature is replaced
// by one made at now, and whether anything changed. Deliveries without a
// signature header (negative samples) and sources without a timestamp come
// back unchanged.
func Resign(source, secret string, headers map[string]string, body []byte, now time.Time) (map[string]string, bool) {
	out := make(map[string]string, len(headers))
	for k, v := range headers {
		out[k] = v
	}
	if !SignsTimestamp(source) {
		return out, false
	}
	name, value, _ := Sign(source, secret, body, now)
	for k := range out {
		if strings.EqualFold(k, name) {
			out[k] = value
			return out, true
		}
	}
	return out, false
}

// timestamped builds "t=<unix>,v1=<hex HMAC-SHA256 of "<unix>.<body>">".
func timestamped(secret string, body []byte, now time.Time) string {
	ts := strconv.FormatInt(now.Unix(), 10)
	signed := append([]byte(ts+"."), body...)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, signed))
}

func mac(secret string, data []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(data)
	return m.Sum(nil)
}
