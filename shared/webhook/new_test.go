package webhook

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

func TestNewRejectsBadConfig(t *testing.T) {
	const secret = "super-secret-value"
	cases := []struct {
		name    string
		v       config.Verify
		secrets []string
		want    string
	}{
		{"no scheme", config.Verify{}, []string{secret}, "scheme is required"},
		{"unknown scheme", config.Verify{Scheme: "github"}, []string{secret}, "unknown scheme"},
		{"no secrets", config.Verify{Scheme: "stripe"}, nil, "at least one secret"},
		{"empty secret", config.Verify{Scheme: "stripe"}, []string{secret, ""}, "secret 2 is empty"},
		{"none with secrets", config.Verify{Scheme: "none"}, []string{secret}, "takes no secrets"},
		{"negative tolerance", config.Verify{Scheme: "stripe", Tolerance: -time.Second}, []string{secret}, "negative"},
		{"tolerance on shopify", config.Verify{Scheme: "shopify", Tolerance: time.Minute}, []string{secret}, "signs no timestamp"},
		{"header on stripe", config.Verify{Scheme: "stripe", Header: "X-Sig"}, []string{secret}, "hmac scheme only"},
		{"hmac without header", config.Verify{Scheme: "hmac"}, []string{secret}, "header is required"},
		{"hmac bad algorithm", config.Verify{Scheme: "hmac", Header: "x", Algorithm: "md5"}, []string{secret}, "algorithm"},
		{"hmac bad encoding", config.Verify{Scheme: "hmac", Header: "x", Encoding: "base32"}, []string{secret}, "encoding"},
		{"hmac tolerance without timestamp", config.Verify{Scheme: "hmac", Header: "x", Tolerance: time.Minute}, []string{secret}, "needs timestamp_header"},
		{"hmac template without body", config.Verify{Scheme: "hmac", Header: "x", SignedTemplate: "{timestamp}", TimestampHeader: "t"}, []string{secret}, "must contain {body}"},
		{"hmac template body twice", config.Verify{Scheme: "hmac", Header: "x", SignedTemplate: "{body}{body}"}, []string{secret}, "repeats"},
		{"hmac unknown placeholder", config.Verify{Scheme: "hmac", Header: "x", SignedTemplate: "{id}.{body}"}, []string{secret}, "unknown placeholder {id}"},
		{"hmac unclosed brace", config.Verify{Scheme: "hmac", Header: "x", SignedTemplate: "{body}.{time"}, []string{secret}, "unclosed"},
		{"hmac timestamp header unsigned", config.Verify{Scheme: "hmac", Header: "x", TimestampHeader: "t"}, []string{secret}, "must contain {timestamp}"},
		{"hmac timestamp placeholder without header", config.Verify{Scheme: "hmac", Header: "x", SignedTemplate: "{timestamp}.{body}"}, []string{secret}, "timestamp_header is not set"},
		{"shared without header", config.Verify{Scheme: "shared_secret"}, []string{secret}, "header is required"},
		{"shared with algorithm", config.Verify{Scheme: "shared_secret", Header: "x", Algorithm: "sha256"}, []string{secret}, "header and prefix only"},
		{"standard secret not base64", config.Verify{Scheme: "standard"}, []string{"whsec_" + secret + "!"}, "secret 1 is not whsec_<base64>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.v.Secrets = make([]string, len(c.secrets))
			for i := range c.secrets {
				c.v.Secrets[i] = "env:S"
			}
			_, err := New(c.v, c.secrets)
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("New = %v, want ErrConfig", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("New = %q, want it to mention %q", err, c.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q leaks the secret", err)
			}
		})
	}
}

func TestNewCountsSecretValues(t *testing.T) {
	_, err := New(config.Verify{Scheme: "stripe", Secrets: []string{"env:A", "env:B"}}, []string{"a"})
	if !errors.Is(err, ErrConfig) {
		t.Errorf("New with 1 value for 2 references = %v, want ErrConfig", err)
	}
}

func TestSecretHeaders(t *testing.T) {
	cases := []struct {
		v    config.Verify
		want string
	}{
		{config.Verify{Scheme: "stripe"}, "stripe-signature"},
		{config.Verify{Scheme: "calendly"}, "calendly-webhook-signature"},
		{config.Verify{Scheme: "shopify"}, "x-shopify-hmac-sha256"},
		{config.Verify{Scheme: "typeform"}, "typeform-signature"},
		{config.Verify{Scheme: "standard"}, "webhook-signature"},
		{config.Verify{Scheme: "hmac", Header: "X-Hub-Signature-256"}, "x-hub-signature-256"},
		{config.Verify{Scheme: "shared_secret", Header: "X-Token"}, "x-token"},
	}
	for _, c := range cases {
		v := mustNew(t, c.v, "whsec_c2VjcmV0")
		if got := v.SecretHeaders(); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: SecretHeaders = %v, want [%s]", c.v.Scheme, got, c.want)
		}
		if v.Scheme() != c.v.Scheme {
			t.Errorf("Scheme = %q, want %q", v.Scheme(), c.v.Scheme)
		}
	}
}

// TestErrorsLeakNothing: a rejection names no secret and no expected
// signature, in any encoding.
func TestErrorsLeakNothing(t *testing.T) {
	const secret, body = "leak-check-secret", `{"a":1}`
	expected := []string{
		hexSig(secret, "1000."+body), b64Sig(secret, body), secret,
		strings.TrimRight(b64Sig(secret, body), "="),
	}
	cases := []struct {
		v config.Verify
		h map[string]string
	}{
		{config.Verify{Scheme: "stripe"}, map[string]string{"stripe-signature": "t=1000,v1=" + strings.Repeat("0", 64)}},
		{config.Verify{Scheme: "shopify"}, map[string]string{"x-shopify-hmac-sha256": b64Sig("x", body)}},
		{config.Verify{Scheme: "typeform"}, map[string]string{"typeform-signature": "sha256=" + b64Sig("x", body)}},
		{config.Verify{Scheme: "shared_secret", Header: "X-Token"}, map[string]string{"x-token": "leak-check-secreT"}},
	}
	for _, c := range cases {
		err := mustNew(t, c.v, secret).Verify(NewHeader(c.h), []byte(body), unix(1000))
		if !errors.Is(err, ErrMismatch) {
			t.Fatalf("%s: Verify = %v, want mismatch", c.v.Scheme, err)
		}
		for _, e := range expected {
			if strings.Contains(err.Error(), e) {
				t.Errorf("%s: error %q contains a secret or expected signature", c.v.Scheme, err)
			}
		}
	}
}

func TestErrorIs(t *testing.T) {
	err := error(&Error{Code: CodeMismatch, Reason: "no signature in x matches"})
	if !errors.Is(err, ErrMismatch) {
		t.Error("errors.Is(mismatch, ErrMismatch) = false")
	}
	if errors.Is(err, ErrMalformed) {
		t.Error("errors.Is(mismatch, ErrMalformed) = true")
	}
	if got, want := err.Error(), "webhook: signature_mismatch: no signature in x matches"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestParseUnix(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1735736500", 1735736500, true}, {"999999999999", 999999999999, true},
		{"", 0, false}, {"-1", 0, false}, {"+1", 0, false}, {" 1", 0, false}, {"1.5", 0, false},
		{"1e9", 0, false}, {"1000000000000", 0, false}, {"١٢", 0, false},
	}
	for _, c := range cases {
		got, ok := parseUnix(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseUnix(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
