// Package ingest is the webhook front door: the handler behind
// POST /hooks/{source} on an API Gateway HTTP API (payload v2) or a Lambda
// Function URL, which send the same event type.
//
// For each request the handler finds the source, base64-decodes the body
// when the event says so, enforces the source's body limit, verifies the
// signature over the exact bytes, checks that JSON and form bodies parse,
// takes the event id, claims it (so a redelivery is not enqueued twice),
// sends the event to the events queue in a core.Envelope and marks the
// claim done. Answers:
//
//	202 {"status":"accepted","event_id":…}   stored for sync
//	200 {"status":"duplicate","event_id":…}  stored before; not enqueued again
//	400 malformed_body, malformed_json, malformed_form, event_id_invalid
//	401 signature_header_missing, signature_malformed, signature_mismatch,
//	    timestamp_outside_tolerance
//	404 not_found, unknown_source       405 method_not_allowed (Allow: POST)
//	409 in_progress (Retry-After)       413 body_too_large
//	415 unsupported_media_type          503 enqueue_failed (Retry-After)
//
// Errors are {"error": code, "message": text}; internal error text never
// reaches a response. Only 503 is a server error, and only when the event
// could not be stored, so the sender retries it; nothing is enqueued on any
// other non-2xx answer.
//
// Sources, their verifiers and their secrets are built once, by New, at
// cold start. A Handler is safe for concurrent use.
package ingest
