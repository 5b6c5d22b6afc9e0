package webhook

import (
	"fmt"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// Verifier checks one source's deliveries.
type Verifier interface {
	// Verify checks the signature over body, the exact bytes received (after
	// base64-decoding an API Gateway body marked isBase64Encoded), at clock
	// now. It returns nil or an *Error.
	Verify(h Header, body []byte, now time.Time) error
	// Scheme is the config scheme name ("stripe", "hmac", …).
	Scheme() string
	// SecretHeaders names (lower-case) the headers that carry signatures or
	// secrets for this scheme; they must never be stored or logged.
	SecretHeaders() []string
}

// Scheme names, as written in config.Verify.Scheme.
const (
	SchemeStripe       = "stripe"
	SchemeShopify      = "shopify"
	SchemeTypeform     = "typeform"
	SchemeCalendly     = "calendly"
	SchemeStandard     = "standard"
	SchemeHMAC         = "hmac"
	SchemeSharedSecret = "shared_secret"
	SchemeNone         = "none"
)

// New builds the verifier v describes. secrets are the resolved values of
// v.Secrets, in the same order; every scheme but none needs at least one.
// Errors wrap ErrConfig and name settings and secret positions, never
// secret values.
func New(v config.Verify, secrets []string) (Verifier, error) {
	if err := checkCommon(v, secrets); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrConfig, schemeLabel(v.Scheme), err)
	}
	vf, err := build(v, secrets)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrConfig, schemeLabel(v.Scheme), err)
	}
	return vf, nil
}

func build(v config.Verify, secrets []string) (Verifier, error) {
	switch v.Scheme {
	case SchemeStripe:
		return newTV(SchemeStripe, "stripe-signature", v, secrets, DefaultTolerance)
	case SchemeCalendly:
		return newTV(SchemeCalendly, "calendly-webhook-signature", v, secrets, DefaultCalendlyTolerance)
	case SchemeShopify:
		return newPreset(SchemeShopify, v, secrets, config.Verify{
			Header: "x-shopify-hmac-sha256", Algorithm: "sha256", Encoding: "base64"})
	case SchemeTypeform:
		return newPreset(SchemeTypeform, v, secrets, config.Verify{
			Header: "typeform-signature", Algorithm: "sha256", Encoding: "base64", Prefix: "sha256="})
	case SchemeStandard:
		return newStandard(v, secrets)
	case SchemeHMAC:
		return newGeneric(SchemeHMAC, v, secrets)
	case SchemeSharedSecret:
		return newShared(v, secrets)
	case SchemeNone:
		return noneVerifier{}, nil
	case "":
		return nil, fmt.Errorf("scheme is required (use none to accept unsigned deliveries)")
	}
	return nil, fmt.Errorf("unknown scheme")
}

func schemeLabel(s string) string {
	if s == "" {
		return "verify"
	}
	return fmt.Sprintf("scheme %q", s)
}

// checkCommon validates what every scheme shares: secrets and tolerance.
func checkCommon(v config.Verify, secrets []string) error {
	if len(secrets) != len(v.Secrets) && v.Scheme != SchemeNone {
		return fmt.Errorf("%d secret values for %d secret references", len(secrets), len(v.Secrets))
	}
	if v.Scheme == SchemeNone {
		if len(v.Secrets) > 0 || len(secrets) > 0 {
			return fmt.Errorf("scheme none takes no secrets")
		}
		return nil
	}
	if len(secrets) == 0 {
		return fmt.Errorf("at least one secret is required")
	}
	for i, s := range secrets {
		if s == "" {
			return fmt.Errorf("secret %d is empty", i+1)
		}
	}
	if v.Tolerance < 0 {
		return fmt.Errorf("tolerance must not be negative")
	}
	return nil
}

// tolerance returns v.Tolerance or the scheme's default.
func tolerance(v config.Verify, def time.Duration) time.Duration {
	if v.Tolerance > 0 {
		return v.Tolerance
	}
	return def
}

// onlyHMACFields rejects generic HMAC settings on schemes that fix them, so
// a config cannot look stricter than it is.
func onlyHMACFields(v config.Verify) error {
	if v.Header != "" || v.Algorithm != "" || v.Encoding != "" || v.Prefix != "" ||
		v.TimestampHeader != "" || v.SignedTemplate != "" {
		return fmt.Errorf("header, algorithm, encoding, prefix, timestamp_header and signed_template apply to the hmac scheme only")
	}
	return nil
}

func secretBytes(secrets []string) [][]byte {
	b := make([][]byte, len(secrets))
	for i, s := range secrets {
		b[i] = []byte(s)
	}
	return b
}

// noneVerifier accepts every delivery.
type noneVerifier struct{}

func (noneVerifier) Verify(Header, []byte, time.Time) error { return nil }
func (noneVerifier) Scheme() string                         { return SchemeNone }
func (noneVerifier) SecretHeaders() []string                { return nil }
