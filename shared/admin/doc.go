// Package admin is the admin function's handler, invoked by an operator
// (aws lambda invoke, sam remote invoke, or `make invoke` locally) with one
// JSON action:
//
//	{"action": "connect", "org": "acme", "grant_code": "1000.…"}
//	{"action": "status", "org": "acme"}
//	{"action": "replay", "org": "acme", "code": "INVALID_DATA", "since": "2026-12-01T00:00:00Z"}
//	{"action": "dry-run", "source": "stripe", "body": {…}}
//
// connect exchanges a Zoho self-client grant code for the org's refresh
// token and records the data centre; status reports credits, slots, the
// token's age, queue depth and dead letters; replay re-enqueues dead letters
// through the current mapping, once each; dry-run shows the Zoho calls an
// event would produce without sending anything. Answers are JSON and never
// contain a token, a client secret or a signing secret.
package admin
