package webhook

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/shared/config"
)

// seedSampleHeaders passes each sample delivery's value of header to add.
func seedSampleHeaders(f *testing.F, header string, add func(string)) {
	for _, sender := range []string{"stripe", "shopify", "typeform", "calendly"} {
		for _, d := range mustSamples(f, sender).Deliveries {
			if v := NewHeader(d.Headers).Get(header); v != "" {
				add(v)
			}
		}
	}
}

// FuzzParseTVHeader: parseTV never panics, fails only as malformed, and
// what it accepts survives a canonical re-encoding unchanged.
func FuzzParseTVHeader(f *testing.F) {
	add := func(v string) { f.Add(v) }
	seedSampleHeaders(f, "stripe-signature", add)
	seedSampleHeaders(f, "calendly-webhook-signature", add)
	for _, s := range []string{"", "t=", "t=1,v1=", ",,,", "t=1,t=2", "v1=00,t=9", "t=1,v1=" + strings.Repeat("a", 64) + ",v0=x", "=,=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		p, err := parseTV("h", value)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("parseTV(%q) = %v, want a malformed error", value, err)
			}
			return
		}
		if n, ok := parseUnix(p.T); !ok || n != p.Unix {
			t.Fatalf("parseTV(%q): t %q / %d inconsistent", value, p.T, p.Unix)
		}
		if len(p.V1) == 0 || len(p.V1) > maxCandidates {
			t.Fatalf("parseTV(%q): %d v1 values", value, len(p.V1))
		}
		canon := "t=" + p.T
		for _, s := range p.V1 {
			if len(s) != 32 {
				t.Fatalf("parseTV(%q): v1 of %d bytes", value, len(s))
			}
			canon += ",v1=" + hex.EncodeToString(s)
		}
		q, err := parseTV("h", canon)
		if err != nil || q.T != p.T || len(q.V1) != len(p.V1) {
			t.Fatalf("re-parse of %q = %+v, %v; want %+v", canon, q, err, p)
		}
		for i := range q.V1 {
			if !bytes.Equal(q.V1[i], p.V1[i]) {
				t.Fatalf("re-parse of %q changed v1 %d", canon, i)
			}
		}
	})
}

// FuzzParseStandardHeader: the same properties for webhook-signature lists.
func FuzzParseStandardHeader(f *testing.F) {
	for _, s := range []string{stdVectorSig, "v1a,AAAA " + stdVectorSig, "v1,", "v1", " ", "v1,@@@@", "v2,abc v1," + strings.Repeat("A", 43)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		sigs, err := parseStandard("h", value)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("parseStandard(%q) = %v, want a malformed error", value, err)
			}
			return
		}
		if len(sigs) == 0 || len(sigs) > maxCandidates {
			t.Fatalf("parseStandard(%q): %d signatures", value, len(sigs))
		}
		var canon []string
		for _, s := range sigs {
			if len(s) != 32 {
				t.Fatalf("parseStandard(%q): signature of %d bytes", value, len(s))
			}
			canon = append(canon, "v1,"+base64.StdEncoding.EncodeToString(s))
		}
		again, err := parseStandard("h", strings.Join(canon, " "))
		if err != nil || len(again) != len(sigs) {
			t.Fatalf("re-parse = %d, %v; want %d", len(again), err, len(sigs))
		}
		for i := range sigs {
			if !bytes.Equal(again[i], sigs[i]) {
				t.Fatalf("re-parse changed signature %d", i)
			}
		}
	})
}

// FuzzParseVerifyHeaders feeds one header value to every scheme: each
// answer is nil or an *Error with a known code whose text holds no secret,
// and an acceptance is backed by a correct signature inside the value.
func FuzzParseVerifyHeaders(f *testing.F) {
	const secret = "fuzz-secret"
	const body = `{"id":"evt_1"}`
	f.Add("t=1000,v1="+hexSig(secret, "1000."+body), body)
	f.Add("sha256="+b64Sig(secret, body), body)
	f.Add(b64Sig(secret, body), body)
	f.Add("Bearer "+secret, "")
	add := func(v string) { f.Add(v, body) }
	seedSampleHeaders(f, "x-shopify-hmac-sha256", add)
	seedSampleHeaders(f, "typeform-signature", add)
	verifiers := map[string]Verifier{}
	for _, v := range []config.Verify{
		{Scheme: "stripe"}, {Scheme: "calendly"}, {Scheme: "shopify"}, {Scheme: "typeform"},
		{Scheme: "hmac", Header: "X-Sig", Prefix: "sha256="},
		{Scheme: "hmac", Header: "X-Sig-Ts", TimestampHeader: "X-Ts", SignedTemplate: "{timestamp}.{body}", Encoding: "base64"},
		{Scheme: "shared_secret", Header: "X-Token", Prefix: "Bearer "},
	} {
		verifiers[v.Scheme+v.Header] = mustNew(f, v, secret)
	}
	known := map[Code]bool{CodeHeaderMissing: true, CodeMalformed: true, CodeMismatch: true, CodeTimestamp: true}
	f.Fuzz(func(t *testing.T, value, body string) {
		h := Header{}
		for _, name := range []string{"stripe-signature", "calendly-webhook-signature", "x-shopify-hmac-sha256",
			"typeform-signature", "x-sig", "x-sig-ts", "x-ts", "x-token"} {
			h[name] = value
		}
		for name, v := range verifiers {
			err := v.Verify(h, []byte(body), unix(1000))
			if err == nil {
				if !backed(name, value, body, secret) {
					t.Fatalf("%s accepted %q over %q without a valid signature", name, value, body)
				}
				continue
			}
			var e *Error
			if !errors.As(err, &e) || !known[e.Code] {
				t.Fatalf("%s: Verify = %v, want a known *Error", name, err)
			}
			if strings.Contains(e.Reason, secret) {
				t.Fatalf("%s: reason %q leaks the secret", name, e.Reason)
			}
		}
	})
}

// backed checks an acceptance independently of the verifier's code.
func backed(name, value, body, secret string) bool {
	lower := strings.ToLower(value)
	switch name {
	case "stripe", "calendly":
		p, err := parseTV("h", value)
		return err == nil && strings.Contains(lower, hexSig(secret, p.T+"."+body))
	case "shopify", "typeform", "hmacX-Sig-Ts":
		return strings.Contains(value, strings.TrimRight(b64Sig(secret, body), "=")) ||
			strings.Contains(value, strings.TrimRight(b64Sig(secret, value+"."+body), "="))
	case "hmacX-Sig":
		return strings.Contains(lower, hexSig(secret, body))
	case "shared_secretX-Token":
		return strings.TrimSpace(value) == "Bearer "+secret
	}
	return false
}
