package webhook

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// verifyCase is one delivery against one verifier.
type verifyCase struct {
	name    string
	secrets []string
	header  map[string]string
	body    string
	now     time.Time
	want    Code // "" = accepted
}

func runCases(t *testing.T, v config.Verify, cases []verifyCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vf := mustNew(t, v, c.secrets...)
			err := vf.Verify(NewHeader(c.header), []byte(c.body), c.now)
			if got := codeOf(err); got != c.want || (err == nil) != (c.want == "") {
				t.Errorf("Verify = %v, want code %q", err, c.want)
			}
		})
	}
}

func TestStripe(t *testing.T) {
	const body = `{"id":"evt_1","type":"customer.created"}`
	const ts = int64(1700000000)
	signed := strconv.FormatInt(ts, 10) + "." + body
	good, old := hexSig("whsec_new", signed), hexSig("whsec_old", signed)
	hdr := func(v string) map[string]string { return map[string]string{"Stripe-Signature": v} }
	t0 := strconv.FormatInt(ts, 10)
	runCases(t, config.Verify{Scheme: "stripe"}, []verifyCase{
		{"valid", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + good), body, unix(ts + 1), ""},
		{"upper-case hex", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + strings.ToUpper(good)), body, unix(ts), ""},
		{"spaces after commas", []string{"whsec_new"}, hdr("t=" + t0 + ", v1=" + good), body, unix(ts), ""},
		{"rotation: old secret still configured", []string{"whsec_new", "whsec_old"}, hdr("t=" + t0 + ",v1=" + old), body, unix(ts), ""},
		{"rotation: old secret removed", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + old), body, unix(ts), CodeMismatch},
		{"rotation: sender signs with both", []string{"whsec_old"}, hdr("t=" + t0 + ",v1=" + good + ",v1=" + old), body, unix(ts), ""},
		{"v0 only is ignored", []string{"whsec_new"}, hdr("t=" + t0 + ",v0=" + good), body, unix(ts), CodeMalformed},
		{"garbage v1 beside a good one", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=zz,v1=" + good), body, unix(ts), ""},
		{"tolerance edge past", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + good), body, unix(ts + 300), ""},
		{"tolerance past +1s", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + good), body, unix(ts + 301), CodeTimestamp},
		{"tolerance edge future", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + good), body, unix(ts - 300), ""},
		{"tolerance future +1s", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + good), body, unix(ts - 301), CodeTimestamp},
		{"forged stale: mismatch first", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + old), body, unix(ts + 9999), CodeMismatch},
		{"signature over another t", []string{"whsec_new"}, hdr("t=" + strconv.FormatInt(ts+1, 10) + ",v1=" + good), body, unix(ts), CodeMismatch},
		{"missing", []string{"whsec_new"}, map[string]string{}, body, unix(ts), CodeHeaderMissing},
		{"blank", []string{"whsec_new"}, hdr("  "), body, unix(ts), CodeHeaderMissing},
		{"no t", []string{"whsec_new"}, hdr("v1=" + good), body, unix(ts), CodeMalformed},
		{"two t", []string{"whsec_new"}, hdr("t=" + t0 + ",t=" + t0 + ",v1=" + good), body, unix(ts), CodeMalformed},
		{"signed t", []string{"whsec_new"}, hdr("t=+" + t0 + ",v1=" + good), body, unix(ts), CodeMalformed},
		{"fractional t", []string{"whsec_new"}, hdr("t=" + t0 + ".5,v1=" + good), body, unix(ts), CodeMalformed},
		{"no v1", []string{"whsec_new"}, hdr("t=" + t0), body, unix(ts), CodeMalformed},
		{"short v1", []string{"whsec_new"}, hdr("t=" + t0 + ",v1=" + good[:62]), body, unix(ts), CodeMalformed},
	})
}

func TestStripeCustomTolerance(t *testing.T) {
	const body = `{}`
	v := mustNew(t, config.Verify{Scheme: "stripe", Tolerance: 10 * time.Minute}, "k")
	h := NewHeader(map[string]string{"stripe-signature": "t=1000,v1=" + hexSig("k", "1000."+body)})
	if err := v.Verify(h, []byte(body), unix(1000+600)); err != nil {
		t.Errorf("at 600s with 10m tolerance: %v, want accepted", err)
	}
	if err := v.Verify(h, []byte(body), unix(1000+601)); codeOf(err) != CodeTimestamp {
		t.Errorf("at 601s with 10m tolerance: %v, want %s", err, CodeTimestamp)
	}
}

func TestCalendly(t *testing.T) {
	const body = `{"event":"invitee.created"}`
	sig := hexSig("cal_key", "1000."+body)
	oldSig := hexSig("cal_old", "1000."+body)
	hdr := func(v string) map[string]string { return map[string]string{"Calendly-Webhook-Signature": v} }
	runCases(t, config.Verify{Scheme: "calendly"}, []verifyCase{
		{"valid", []string{"cal_key"}, hdr("t=1000,v1=" + sig), body, unix(1000), ""},
		{"rotation", []string{"cal_key", "cal_old"}, hdr("t=1000,v1=" + oldSig), body, unix(1000), ""},
		{"default tolerance 3m edge", []string{"cal_key"}, hdr("t=1000,v1=" + sig), body, unix(1180), ""},
		{"default tolerance 3m +1s", []string{"cal_key"}, hdr("t=1000,v1=" + sig), body, unix(1181), CodeTimestamp},
		{"future 3m +1s", []string{"cal_key"}, hdr("t=1000,v1=" + sig), body, unix(819), CodeTimestamp},
		{"stripe header is not calendly's", []string{"cal_key"}, map[string]string{"Stripe-Signature": "t=1000,v1=" + sig}, body, unix(1000), CodeHeaderMissing},
		{"wrong key", []string{"other"}, hdr("t=1000,v1=" + sig), body, unix(1000), CodeMismatch},
	})
}

func TestShopify(t *testing.T) {
	const body = `{"id":820982911946154508,"email":"a@example.com"}`
	good, old := b64Sig("shpss_new", body), b64Sig("shpss_old", body)
	hdr := func(v string) map[string]string { return map[string]string{"X-Shopify-Hmac-Sha256": v} }
	runCases(t, config.Verify{Scheme: "shopify"}, []verifyCase{
		{"valid", []string{"shpss_new"}, hdr(good), body, time.Time{}, ""},
		{"unpadded base64", []string{"shpss_new"}, hdr(strings.TrimRight(good, "=")), body, time.Time{}, ""},
		{"rotation: old still configured", []string{"shpss_new", "shpss_old"}, hdr(old), body, time.Time{}, ""},
		{"rotation: old removed", []string{"shpss_new"}, hdr(old), body, time.Time{}, CodeMismatch},
		{"hex digest", []string{"shpss_new"}, hdr(hexSig("shpss_new", body)), body, time.Time{}, CodeMalformed},
		{"not base64", []string{"shpss_new"}, hdr("!!!!" + good[4:]), body, time.Time{}, CodeMalformed},
		{"missing", []string{"shpss_new"}, nil, body, time.Time{}, CodeHeaderMissing},
		{"empty body signed", []string{"shpss_new"}, hdr(b64Sig("shpss_new", "")), "", time.Time{}, ""},
	})
}

func TestTypeform(t *testing.T) {
	const body = `{"event_id":"01H","form_response":{}}`
	good, old := b64Sig("tf_new", body), b64Sig("tf_old", body)
	hdr := func(v string) map[string]string { return map[string]string{"Typeform-Signature": v} }
	runCases(t, config.Verify{Scheme: "typeform"}, []verifyCase{
		{"valid", []string{"tf_new"}, hdr("sha256=" + good), body, time.Time{}, ""},
		{"rotation", []string{"tf_old", "tf_new"}, hdr("sha256=" + old), body, time.Time{}, ""},
		{"prefix missing", []string{"tf_new"}, hdr(good), body, time.Time{}, CodeMalformed},
		{"wrong prefix", []string{"tf_new"}, hdr("sha1=" + good), body, time.Time{}, CodeMalformed},
		{"wrong secret", []string{"tf_other"}, hdr("sha256=" + good), body, time.Time{}, CodeMismatch},
		{"missing", []string{"tf_new"}, nil, body, time.Time{}, CodeHeaderMissing},
	})
}

// The Standard Webhooks reference libraries' published test vector.
const (
	stdVectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	stdVectorID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	stdVectorTS     = int64(1614265330)
	stdVectorBody   = `{"test": 2432232314}`
	stdVectorSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestStandard(t *testing.T) {
	ts := strconv.FormatInt(stdVectorTS, 10)
	hdr := func(id, ts, sig string) map[string]string {
		m := map[string]string{}
		for k, v := range map[string]string{"webhook-id": id, "webhook-timestamp": ts, "webhook-signature": sig} {
			if v != "" {
				m[k] = v
			}
		}
		return m
	}
	const other = "whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ=="
	now := unix(stdVectorTS + 2)
	runCases(t, config.Verify{Scheme: "standard"}, []verifyCase{
		{"spec vector", []string{stdVectorSecret}, hdr(stdVectorID, ts, stdVectorSig), stdVectorBody, now, ""},
		{"secret without whsec_ prefix", []string{strings.TrimPrefix(stdVectorSecret, "whsec_")}, hdr(stdVectorID, ts, stdVectorSig), stdVectorBody, now, ""},
		{"rotation: second secret", []string{other, stdVectorSecret}, hdr(stdVectorID, ts, stdVectorSig), stdVectorBody, now, ""},
		{"rotation: old removed", []string{other}, hdr(stdVectorID, ts, stdVectorSig), stdVectorBody, now, CodeMismatch},
		{"several signatures, v1a ignored", []string{stdVectorSecret},
			hdr(stdVectorID, ts, "v1a,AAAA v2,Zm9v v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "+stdVectorSig), stdVectorBody, now, ""},
		{"only v1a", []string{stdVectorSecret}, hdr(stdVectorID, ts, "v1a,"+strings.TrimPrefix(stdVectorSig, "v1,")), stdVectorBody, now, CodeMalformed},
		{"other id", []string{stdVectorSecret}, hdr("msg_other", ts, stdVectorSig), stdVectorBody, now, CodeMismatch},
		{"dotted id", []string{stdVectorSecret}, hdr("msg.x", ts, stdVectorSig), stdVectorBody, now, CodeMalformed},
		{"other timestamp", []string{stdVectorSecret}, hdr(stdVectorID, strconv.FormatInt(stdVectorTS+1, 10), stdVectorSig), stdVectorBody, now, CodeMismatch},
		{"stale", []string{stdVectorSecret}, hdr(stdVectorID, ts, stdVectorSig), stdVectorBody, unix(stdVectorTS + 301), CodeTimestamp},
		{"future", []string{stdVectorSecret}, hdr(stdVectorID, ts, stdVectorSig), stdVectorBody, unix(stdVectorTS - 301), CodeTimestamp},
		{"edge", []string{stdVectorSecret}, hdr(stdVectorID, ts, stdVectorSig), stdVectorBody, unix(stdVectorTS + 300), ""},
		{"non-numeric timestamp", []string{stdVectorSecret}, hdr(stdVectorID, "2021-02-25", stdVectorSig), stdVectorBody, now, CodeMalformed},
		{"missing id", []string{stdVectorSecret}, hdr("", ts, stdVectorSig), stdVectorBody, now, CodeHeaderMissing},
		{"missing timestamp", []string{stdVectorSecret}, hdr(stdVectorID, "", stdVectorSig), stdVectorBody, now, CodeHeaderMissing},
		{"missing signature", []string{stdVectorSecret}, hdr(stdVectorID, ts, ""), stdVectorBody, now, CodeHeaderMissing},
	})
}

// Vectors for the generic scheme were computed with Python's hmac module.
func TestGenericHMAC(t *testing.T) {
	const body = `{"action":"opened","number":7}`
	const ghSig = "801516f1d192bcaeadb7b8bec1296503f2d6055ba5fbd0517d889bd77574218d"
	const sha1B64 = "TFrwe9H/y7G/ugPvIVPsB4gwN68="
	const sha512Hex = "00b552d70476e26259c02fdf32412f9a4039e379a2a5ab9e0df56a120d72261d102aaa8dfe8af55fbb4ca1982587fb4acd4b62496f6c652eff03f48111e13515"

	t.Run("sha256 hex with prefix", func(t *testing.T) {
		hdr := func(v string) map[string]string { return map[string]string{"X-Hub-Signature-256": v} }
		runCases(t, config.Verify{Scheme: "hmac", Header: "X-Hub-Signature-256", Prefix: "sha256="}, []verifyCase{
			{"valid", []string{"gh_fixture_secret"}, hdr("sha256=" + ghSig), body, time.Time{}, ""},
			{"rotation", []string{"gh_old", "gh_fixture_secret"}, hdr("sha256=" + ghSig), body, time.Time{}, ""},
			{"prefix missing", []string{"gh_fixture_secret"}, hdr(ghSig), body, time.Time{}, CodeMalformed},
			{"base64 instead of hex", []string{"gh_fixture_secret"}, hdr("sha256=" + b64Sig("gh_fixture_secret", body)), body, time.Time{}, CodeMalformed},
			{"wrong secret", []string{"gh_other"}, hdr("sha256=" + ghSig), body, time.Time{}, CodeMismatch},
			{"missing", []string{"gh_fixture_secret"}, nil, body, time.Time{}, CodeHeaderMissing},
		})
	})
	t.Run("sha1 base64", func(t *testing.T) {
		hdr := func(v string) map[string]string { return map[string]string{"x-signature": v} }
		runCases(t, config.Verify{Scheme: "hmac", Header: "X-Signature", Algorithm: "sha1", Encoding: "base64"}, []verifyCase{
			{"valid", []string{"sha1_fixture_secret"}, hdr(sha1B64), body, time.Time{}, ""},
			{"sha256-sized digest", []string{"sha1_fixture_secret"}, hdr(b64Sig("sha1_fixture_secret", body)), body, time.Time{}, CodeMalformed},
		})
	})
	t.Run("sha512 hex over a timestamp template", func(t *testing.T) {
		hdr := func(sig, ts string) map[string]string {
			return map[string]string{"X-Slack-Signature": sig, "X-Slack-Request-Timestamp": ts}
		}
		v := config.Verify{Scheme: "hmac", Header: "X-Slack-Signature", Algorithm: "sha512", Prefix: "v0=",
			TimestampHeader: "X-Slack-Request-Timestamp", SignedTemplate: "v0:{timestamp}:{body}", Tolerance: time.Minute}
		runCases(t, v, []verifyCase{
			{"valid", []string{"slack_fixture_secret"}, hdr("v0="+sha512Hex, "1700000000"), body, unix(1700000030), ""},
			{"rotation", []string{"slack_old", "slack_fixture_secret"}, hdr("v0="+sha512Hex, "1700000000"), body, unix(1700000000), ""},
			{"tolerance edge", []string{"slack_fixture_secret"}, hdr("v0="+sha512Hex, "1700000000"), body, unix(1700000060), ""},
			{"stale", []string{"slack_fixture_secret"}, hdr("v0="+sha512Hex, "1700000000"), body, unix(1700000061), CodeTimestamp},
			{"future", []string{"slack_fixture_secret"}, hdr("v0="+sha512Hex, "1700000000"), body, unix(1699999939), CodeTimestamp},
			{"timestamp changed", []string{"slack_fixture_secret"}, hdr("v0="+sha512Hex, "1700000001"), body, unix(1700000000), CodeMismatch},
			{"timestamp missing", []string{"slack_fixture_secret"}, hdr("v0="+sha512Hex, ""), body, unix(1700000000), CodeHeaderMissing},
			{"timestamp in ms", []string{"slack_fixture_secret"}, hdr("v0="+sha512Hex, "1700000000000000"), body, unix(1700000000), CodeMalformed},
		})
	})
}

func TestSharedSecret(t *testing.T) {
	hdr := func(v string) map[string]string { return map[string]string{"Authorization": v} }
	runCases(t, config.Verify{Scheme: "shared_secret", Header: "Authorization", Prefix: "Bearer "}, []verifyCase{
		{"valid", []string{"s3cret-token"}, hdr("Bearer s3cret-token"), "{}", time.Time{}, ""},
		{"rotation", []string{"new-token", "s3cret-token"}, hdr("Bearer s3cret-token"), "{}", time.Time{}, ""},
		{"prefix missing", []string{"s3cret-token"}, hdr("s3cret-token"), "{}", time.Time{}, CodeMalformed},
		{"wrong", []string{"s3cret-token"}, hdr("Bearer s3cret-tokem"), "{}", time.Time{}, CodeMismatch},
		{"longer", []string{"s3cret-token"}, hdr("Bearer s3cret-token2"), "{}", time.Time{}, CodeMismatch},
		{"missing", []string{"s3cret-token"}, nil, "{}", time.Time{}, CodeHeaderMissing},
	})
	runCases(t, config.Verify{Scheme: "shared_secret", Header: "X-Api-Key"}, []verifyCase{
		{"plain header", []string{"k1"}, map[string]string{"x-api-key": "k1"}, "", time.Time{}, ""},
		{"plain header wrong", []string{"k1"}, map[string]string{"x-api-key": "k2"}, "", time.Time{}, CodeMismatch},
	})
}

func TestNone(t *testing.T) {
	v, err := New(config.Verify{Scheme: "none"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(nil, []byte("anything"), time.Time{}); err != nil {
		t.Errorf("none rejected a delivery: %v", err)
	}
	if got := v.SecretHeaders(); len(got) != 0 {
		t.Errorf("SecretHeaders = %v, want none", got)
	}
}
