package webhook

import (
	"fmt"
	"strings"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// genericVerifier checks one HMAC signature header, optionally over a
// signed timestamp. Shopify and Typeform are presets of it.
type genericVerifier struct {
	scheme   string
	header   string
	prefix   string
	base64   bool
	size     int
	keys     keyring
	tsHeader string
	tmpl     []part
	tol      time.Duration
	// what names the expected encoding in malformed-signature reasons.
	what string
}

// newPreset builds a fixed-format HMAC scheme; v may only carry secrets.
func newPreset(scheme string, v config.Verify, secrets []string, preset config.Verify) (*genericVerifier, error) {
	if err := onlyHMACFields(v); err != nil {
		return nil, err
	}
	if v.Tolerance != 0 {
		return nil, fmt.Errorf("%s signs no timestamp, so tolerance cannot apply", scheme)
	}
	preset.Secrets = v.Secrets
	return newGeneric(scheme, preset, secrets)
}

func newGeneric(scheme string, v config.Verify, secrets []string) (*genericVerifier, error) {
	if v.Header == "" {
		return nil, fmt.Errorf("header is required")
	}
	newHash, ok := hashFor(v.Algorithm)
	if !ok {
		return nil, fmt.Errorf("algorithm must be sha256, sha1 or sha512")
	}
	if v.Encoding != "" && v.Encoding != "hex" && v.Encoding != "base64" {
		return nil, fmt.Errorf("encoding must be hex or base64")
	}
	tsHeader := strings.ToLower(strings.TrimSpace(v.TimestampHeader))
	if tsHeader == "" && v.Tolerance != 0 {
		return nil, fmt.Errorf("tolerance needs timestamp_header")
	}
	tmplText := v.SignedTemplate
	if tmplText == "" {
		tmplText = "{body}"
	}
	tmpl, err := compileTemplate(tmplText, tsHeader != "")
	if err != nil {
		return nil, err
	}
	g := &genericVerifier{
		scheme:   scheme,
		header:   strings.ToLower(strings.TrimSpace(v.Header)),
		prefix:   v.Prefix,
		base64:   v.Encoding == "base64",
		size:     newHash().Size(),
		keys:     newKeyring(newHash, secretBytes(secrets)),
		tsHeader: tsHeader,
		tmpl:     tmpl,
		tol:      tolerance(v, DefaultTolerance),
	}
	g.what = g.describe(v.Algorithm)
	return g, nil
}

func (g *genericVerifier) describe(alg string) string {
	if alg == "" {
		alg = "sha256"
	}
	enc := "hex"
	if g.base64 {
		enc = "base64"
	}
	return g.header + " is not a " + enc + " " + alg + " digest"
}

func (g *genericVerifier) Verify(h Header, body []byte, now time.Time) error {
	value := strings.TrimSpace(h.Get(g.header))
	if value == "" {
		return missing(g.header)
	}
	if g.prefix != "" {
		rest, ok := strings.CutPrefix(value, g.prefix)
		if !ok {
			return malformed(g.header + " must start with " + g.prefix)
		}
		value = rest
	}
	sig, ok := g.decode(value)
	if !ok {
		return malformed(g.what)
	}
	var ts string
	var unix int64
	if g.tsHeader != "" {
		ts = strings.TrimSpace(h.Get(g.tsHeader))
		if ts == "" {
			return missing(g.tsHeader)
		}
		if unix, ok = parseUnix(ts); !ok {
			return malformed(g.tsHeader + " is not a Unix timestamp")
		}
	}
	if !g.match(sig, ts, body) {
		return mismatch(g.header)
	}
	if g.tsHeader != "" {
		return checkAge(unix, now, g.tol)
	}
	return nil
}

func (g *genericVerifier) decode(s string) ([]byte, bool) {
	if g.base64 {
		return decodeBase64(s, g.size)
	}
	return decodeHex(s, g.size)
}

// match assembles the signed string's parts and compares.
func (g *genericVerifier) match(sig []byte, ts string, body []byte) bool {
	var buf [maxParts][]byte
	parts := buf[:0]
	for _, p := range g.tmpl {
		switch p.kind {
		case litPart:
			parts = append(parts, p.lit)
		case timestampPart:
			parts = append(parts, []byte(ts))
		case bodyPart:
			parts = append(parts, body)
		}
	}
	return g.keys.match([][]byte{sig}, parts...)
}

func (g *genericVerifier) Scheme() string          { return g.scheme }
func (g *genericVerifier) SecretHeaders() []string { return []string{g.header} }
