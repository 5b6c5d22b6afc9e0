package webhook

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// BenchmarkVerify measures one accepted delivery per scheme over the
// Stripe customer.created sample body (about 1.5 KiB); "rotated" cases
// match on the second of two secrets.
func BenchmarkVerify(b *testing.B) {
	body, err := os.ReadFile(filepath.Join(repoRoot(b), "testdata", "webhooks", "stripe", "customer.created.json"))
	if err != nil {
		b.Fatal(err)
	}
	const ts = int64(1700000000)
	t0 := strconv.FormatInt(ts, 10)
	std := base64.StdEncoding.EncodeToString([]byte("standard-bench-secret-32-bytes!!"))
	cases := []struct {
		name    string
		v       config.Verify
		secrets []string
		h       map[string]string
	}{
		{"stripe", config.Verify{Scheme: "stripe"}, []string{"k"},
			map[string]string{"stripe-signature": "t=" + t0 + ",v1=" + hexSig("k", t0+"."+string(body))}},
		{"stripe-rotated", config.Verify{Scheme: "stripe"}, []string{"old", "k"},
			map[string]string{"stripe-signature": "t=" + t0 + ",v1=" + hexSig("k", t0+"."+string(body))}},
		{"calendly", config.Verify{Scheme: "calendly"}, []string{"k"},
			map[string]string{"calendly-webhook-signature": "t=" + t0 + ",v1=" + hexSig("k", t0+"."+string(body))}},
		{"shopify", config.Verify{Scheme: "shopify"}, []string{"k"},
			map[string]string{"x-shopify-hmac-sha256": b64Sig("k", string(body))}},
		{"typeform", config.Verify{Scheme: "typeform"}, []string{"k"},
			map[string]string{"typeform-signature": "sha256=" + b64Sig("k", string(body))}},
		{"standard", config.Verify{Scheme: "standard"}, []string{"whsec_" + std},
			map[string]string{"webhook-id": "msg_1", "webhook-timestamp": t0,
				"webhook-signature": "v1," + base64.StdEncoding.EncodeToString(
					hmacSHA256([]byte("standard-bench-secret-32-bytes!!"), "msg_1."+t0+"."+string(body)))}},
		{"hmac-sha256-hex", config.Verify{Scheme: "hmac", Header: "X-Sig", Prefix: "sha256="}, []string{"k"},
			map[string]string{"x-sig": "sha256=" + hexSig("k", string(body))}},
		{"hmac-timestamp-template", config.Verify{Scheme: "hmac", Header: "X-Sig", TimestampHeader: "X-Ts",
			SignedTemplate: "v0:{timestamp}:{body}", Encoding: "base64"}, []string{"k"},
			map[string]string{"x-sig": b64Sig("k", "v0:"+t0+":"+string(body)), "x-ts": t0}},
		{"shared_secret", config.Verify{Scheme: "shared_secret", Header: "X-Token"}, []string{"k"},
			map[string]string{"x-token": "k"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			v := mustNew(b, c.v, c.secrets...)
			h, now := NewHeader(c.h), time.Unix(ts, 0)
			if err := v.Verify(h, body, now); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := v.Verify(h, body, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
