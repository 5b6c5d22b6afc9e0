package webhook

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// Standard Webhooks header names.
const (
	stdID        = "webhook-id"
	stdTimestamp = "webhook-timestamp"
	stdSignature = "webhook-signature"
)

// standardVerifier implements Standard Webhooks' symmetric scheme:
// HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>", keyed with the
// bytes the secret's base64 (after "whsec_") encodes.
type standardVerifier struct {
	keys keyring
	tol  time.Duration
}

func newStandard(v config.Verify, secrets []string) (*standardVerifier, error) {
	if err := onlyHMACFields(v); err != nil {
		return nil, err
	}
	keys := make([][]byte, len(secrets))
	for i, s := range secrets {
		k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_"))
		if err != nil || len(k) == 0 {
			return nil, fmt.Errorf("secret %d is not whsec_<base64>", i+1)
		}
		keys[i] = k
	}
	return &standardVerifier{
		keys: newKeyring(sha256.New, keys),
		tol:  tolerance(v, DefaultTolerance),
	}, nil
}

func (s *standardVerifier) Verify(h Header, body []byte, now time.Time) error {
	id := strings.TrimSpace(h.Get(stdID))
	ts := strings.TrimSpace(h.Get(stdTimestamp))
	sig := strings.TrimSpace(h.Get(stdSignature))
	switch {
	case sig == "":
		return missing(stdSignature)
	case id == "":
		return missing(stdID)
	case ts == "":
		return missing(stdTimestamp)
	}
	// A "." in the id would let one signed string parse as another.
	if strings.Contains(id, ".") {
		return malformed(stdID + " must not contain '.'")
	}
	unix, ok := parseUnix(ts)
	if !ok {
		return malformed(stdTimestamp + " is not a Unix timestamp")
	}
	sigs, err := parseStandard(stdSignature, sig)
	if err != nil {
		return err
	}
	if !s.keys.match(sigs, []byte(id), dot, []byte(ts), dot, body) {
		return mismatch(stdSignature)
	}
	return checkAge(unix, now, s.tol)
}

func (s *standardVerifier) Scheme() string          { return SchemeStandard }
func (s *standardVerifier) SecretHeaders() []string { return []string{stdSignature} }
