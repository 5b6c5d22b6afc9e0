package webhook

import (
	"crypto/sha256"
	"strings"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// tvVerifier checks "t=<unix>,v1=<hex>" headers: HMAC-SHA256 of
// "<t>.<body>" with the secret used as-is (Stripe, Calendly).
type tvVerifier struct {
	scheme string
	header string
	keys   keyring
	tol    time.Duration
}

func newTV(scheme, header string, v config.Verify, secrets []string, def time.Duration) (*tvVerifier, error) {
	if err := onlyHMACFields(v); err != nil {
		return nil, err
	}
	return &tvVerifier{
		scheme: scheme,
		header: header,
		keys:   newKeyring(sha256.New, secretBytes(secrets)),
		tol:    tolerance(v, def),
	}, nil
}

var dot = []byte{'.'}

func (t *tvVerifier) Verify(h Header, body []byte, now time.Time) error {
	value := strings.TrimSpace(h.Get(t.header))
	if value == "" {
		return missing(t.header)
	}
	p, err := parseTV(t.header, value)
	if err != nil {
		return err
	}
	if !t.keys.match(p.V1, []byte(p.T), dot, body) {
		return mismatch(t.header)
	}
	return checkAge(p.Unix, now, t.tol)
}

func (t *tvVerifier) Scheme() string          { return t.scheme }
func (t *tvVerifier) SecretHeaders() []string { return []string{t.header} }
