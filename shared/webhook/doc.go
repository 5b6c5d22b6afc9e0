// Package webhook verifies signed webhook deliveries.
//
// A Verifier is built once per source from its config.Verify and the
// already-resolved secret values (see package secrets), then checks each
// delivery's headers and exact body bytes. Supported schemes:
//
//   - stripe:   Stripe-Signature "t=<unix>,v1=<hex>[,v1=…][,v0=…]",
//     HMAC-SHA256 of "<t>.<body>"; any v1 may match, v0 is ignored.
//   - calendly: Calendly-Webhook-Signature "t=<unix>,v1=<hex>", same signed
//     string as stripe.
//   - shopify:  X-Shopify-Hmac-Sha256, base64 HMAC-SHA256 of the body.
//   - typeform: Typeform-Signature "sha256=<base64>" over the body.
//   - standard: Standard Webhooks (webhook-id, webhook-timestamp,
//     webhook-signature "v1,<base64> …"), HMAC-SHA256 of "<id>.<ts>.<body>"
//     keyed with the base64 secret after its "whsec_" prefix.
//   - hmac:     a generic HMAC (sha256, sha1 or sha512; hex or base64; an
//     optional prefix such as "sha256="; an optional signed timestamp header
//     and a signed-string template such as "{timestamp}.{body}").
//   - shared_secret: a header whose value (after an optional prefix such as
//     "Bearer ") must equal a secret.
//   - none:     no verification; only when the config names it.
//
// Every scheme accepts several secrets at once, so a secret can be rotated
// without dropping deliveries. Signed timestamps must lie within the
// tolerance on either side of the verifier's clock: a stale timestamp is a
// replay, one far in the future is a forgery or a broken clock. Defaults:
// 5 minutes (stripe, standard, hmac), 3 minutes (calendly, as Calendly
// suggests).
//
// Comparisons of signatures and secrets are constant-time. Failures are
// *Error values whose Code names the problem (signature_header_missing,
// signature_malformed, signature_mismatch, timestamp_outside_tolerance) and
// whose Reason is a fixed human text naming headers, never a secret or an
// expected signature, so both may be shown to the sender.
//
// Verifiers are safe for concurrent use.
package webhook
