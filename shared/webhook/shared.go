package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// sharedVerifier accepts a delivery whose header (after an optional prefix)
// equals one of the secrets. Values are compared as SHA-256 digests in
// constant time, so neither content nor length leaks through timing.
type sharedVerifier struct {
	header  string
	prefix  string
	digests [][sha256.Size]byte
}

func newShared(v config.Verify, secrets []string) (*sharedVerifier, error) {
	if v.Header == "" {
		return nil, fmt.Errorf("header is required")
	}
	if v.Algorithm != "" || v.Encoding != "" || v.TimestampHeader != "" || v.SignedTemplate != "" || v.Tolerance != 0 {
		return nil, fmt.Errorf("shared_secret takes header and prefix only")
	}
	s := &sharedVerifier{
		header: strings.ToLower(strings.TrimSpace(v.Header)),
		prefix: v.Prefix,
	}
	for _, sec := range secrets {
		s.digests = append(s.digests, sha256.Sum256([]byte(sec)))
	}
	return s, nil
}

func (s *sharedVerifier) Verify(h Header, _ []byte, _ time.Time) error {
	value := strings.TrimSpace(h.Get(s.header))
	if value == "" {
		return missing(s.header)
	}
	if s.prefix != "" {
		rest, ok := strings.CutPrefix(value, s.prefix)
		if !ok {
			return malformed(s.header + " must start with " + s.prefix)
		}
		value = rest
	}
	got := sha256.Sum256([]byte(value))
	found := 0
	for i := range s.digests {
		found |= subtle.ConstantTimeCompare(got[:], s.digests[i][:])
	}
	if found != 1 {
		return &Error{Code: CodeMismatch, Reason: s.header + " does not match"}
	}
	return nil
}

func (s *sharedVerifier) Scheme() string          { return SchemeSharedSecret }
func (s *sharedVerifier) SecretHeaders() []string { return []string{s.header} }
