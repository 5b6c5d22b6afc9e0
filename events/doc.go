// Package events holds sample events for every zohosync function, each in
// the exact shape its handler takes: API Gateway HTTP API payload 2.0 for
// ingest, SQS batches for sync, the EventBridge schedule event for refresh
// and JSON actions for admin. `make invoke` and `sam local invoke` use
// them; this package's test checks that each one decodes into its
// handler's event type.
//
// ingest-stripe-*.json carries a Stripe signature over the exact sample
// body, made at the sample's 2025 timestamp; `make invoke` re-signs it at
// invoke time, as Stripe signs every attempt, because ingest checks the
// timestamp's age. The Shopify sample signs only the body and needs no
// re-signing. admin-connect.json names the grant code SIMULATOR_GRANT_CODE,
// which `make invoke` replaces by a fresh code from the Zoho simulator.
package events
