package webhook

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// maxCandidates bounds how many signatures one header may carry. Senders
// send one, or two while rotating a secret.
const maxCandidates = 16

// tvHeader is a parsed "t=<unix>,v1=<hex>[,v1=<hex>…]" header (Stripe,
// Calendly).
type tvHeader struct {
	// T is the timestamp exactly as sent; it is part of the signed string.
	T    string
	Unix int64
	// V1 holds each well-formed v1 signature, decoded.
	V1 [][]byte
}

// parseTV parses a Stripe-style signature header. Items are split on ","
// and then on the first "="; unknown keys (v0, future schemes) are ignored,
// as are v1 values that are not hex SHA-256 digests. Exactly one t and at
// least one well-formed v1 are required.
func parseTV(header, value string) (tvHeader, error) {
	var p tvHeader
	seenT := false
	for item := range strings.SplitSeq(value, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			if seenT {
				return tvHeader{}, malformed(header + " has more than one t")
			}
			seenT = true
			n, ok := parseUnix(v)
			if !ok {
				return tvHeader{}, malformed(header + " t is not a Unix timestamp")
			}
			p.T, p.Unix = v, n
		case "v1":
			if len(p.V1) == maxCandidates {
				return tvHeader{}, malformed(header + " has too many signatures")
			}
			if d, ok := decodeHex(v, sha256.Size); ok {
				p.V1 = append(p.V1, d)
			}
		}
	}
	if !seenT {
		return tvHeader{}, malformed(header + " has no t")
	}
	if len(p.V1) == 0 {
		return tvHeader{}, malformed(header + " has no v1 signature")
	}
	return p, nil
}

// parseStandard parses a Standard Webhooks signature header: a space
// separated list of "<version>,<base64>". Only v1 (HMAC-SHA256) entries are
// kept; other versions such as v1a (asymmetric) are ignored, as are v1
// values that do not decode to a SHA-256 digest.
func parseStandard(header, value string) ([][]byte, error) {
	var sigs [][]byte
	for item := range strings.FieldsSeq(value) {
		ver, sig, ok := strings.Cut(item, ",")
		if !ok || ver != "v1" {
			continue
		}
		if len(sigs) == maxCandidates {
			return nil, malformed(header + " has too many signatures")
		}
		if d, ok := decodeBase64(sig, sha256.Size); ok {
			sigs = append(sigs, d)
		}
	}
	if len(sigs) == 0 {
		return nil, malformed(header + " has no v1 signature")
	}
	return sigs, nil
}

// decodeHex decodes a hex digest of exactly size bytes (either case).
func decodeHex(s string, size int) ([]byte, bool) {
	if len(s) != 2*size {
		return nil, false
	}
	d, err := hex.DecodeString(s)
	return d, err == nil
}

// decodeBase64 decodes a standard base64 digest of exactly size bytes,
// padded or not.
func decodeBase64(s string, size int) ([]byte, bool) {
	enc := base64.StdEncoding
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	if enc.DecodedLen(len(s)) < size || len(s) > base64.StdEncoding.EncodedLen(size) {
		return nil, false
	}
	d, err := enc.DecodeString(s)
	if err != nil || len(d) != size {
		return nil, false
	}
	return d, true
}
