package webhook

import (
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// rejectCodes classifies every negative sample delivery: a new negative
// sample fails the test until it is listed here.
var rejectCodes = map[string]Code{
	"stripe/stale-timestamp":        CodeTimestamp,
	"stripe/wrong-secret-only":      CodeMismatch,
	"stripe/header-missing":         CodeHeaderMissing,
	"shopify/hex-instead-of-base64": CodeMalformed,
	"typeform/prefix-missing":       CodeMalformed,
	"calendly/stale-4-minutes":      CodeTimestamp,
}

// TestSampleDeliveries verifies every case of testdata/webhooks/*/
// deliveries.json at its receive_unix clock, with the sample secret alone
// and beside a wrong secret in either order (rotation).
func TestSampleDeliveries(t *testing.T) {
	for _, sender := range []string{"stripe", "shopify", "typeform", "calendly"} {
		s := mustSamples(t, sender)
		if len(s.Deliveries) == 0 {
			t.Fatalf("%s: no deliveries", sender)
		}
		keyrings := [][]string{
			{s.Secret},
			{"rotated_out_" + s.Secret, s.Secret},
			{s.Secret, "rotated_in_" + s.Secret},
		}
		for _, d := range s.Deliveries {
			name := sender + "/" + d.Name
			body := s.body(t, d)
			now := time.Now()
			if d.Receive != 0 {
				now = unix(d.Receive)
			}
			accept := strings.HasPrefix(d.Expected, "accept")
			want, listed := rejectCodes[name]
			if accept == listed {
				t.Errorf("%s: expected %q but rejectCodes listing is %v", name, d.Expected, listed)
				continue
			}
			for _, secrets := range keyrings {
				t.Run(name, func(t *testing.T) {
					v := mustNew(t, config.Verify{Scheme: sender}, secrets...)
					err := v.Verify(NewHeader(d.Headers), body, now)
					if got := codeOf(err); got != want || (err == nil) != accept {
						t.Errorf("Verify = %v, want code %q (%s)", err, want, d.Expected)
					}
				})
			}
		}
	}
}

// TestSampleDeliveriesWrongSecret: every sample fails under another secret.
func TestSampleDeliveriesWrongSecret(t *testing.T) {
	for _, sender := range []string{"stripe", "shopify", "typeform", "calendly"} {
		s := mustSamples(t, sender)
		v := mustNew(t, config.Verify{Scheme: sender}, "not-the-"+s.Secret)
		for _, d := range s.Deliveries {
			now := time.Now()
			if d.Receive != 0 {
				now = unix(d.Receive)
			}
			if err := v.Verify(NewHeader(d.Headers), s.body(t, d), now); err == nil {
				t.Errorf("%s/%s: accepted under a wrong secret", sender, d.Name)
			}
		}
	}
}

// TestSampleDeliveriesTamperedBody: one changed byte breaks every accepted
// sample's signature.
func TestSampleDeliveriesTamperedBody(t *testing.T) {
	for _, sender := range []string{"stripe", "shopify", "typeform", "calendly"} {
		s := mustSamples(t, sender)
		v := mustNew(t, config.Verify{Scheme: sender}, s.Secret)
		for _, d := range s.Deliveries {
			if !strings.HasPrefix(d.Expected, "accept") {
				continue
			}
			body := s.body(t, d)
			body[len(body)/2] ^= 0x01
			now := time.Now()
			if d.Receive != 0 {
				now = unix(d.Receive)
			}
			err := v.Verify(NewHeader(d.Headers), body, now)
			if codeOf(err) != CodeMismatch {
				t.Errorf("%s/%s: tampered body gave %v, want %s", sender, d.Name, err, CodeMismatch)
			}
		}
	}
}
