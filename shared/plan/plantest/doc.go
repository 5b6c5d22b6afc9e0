// Package plantest builds synthetic event streams for the planner's
// benchmarks and for end-to-end checks against the Zoho simulator: events
// shaped like the project's sample webhooks (Stripe customers and checkout
// sessions, Shopify customers, Typeform demo requests) with varied ids and
// e-mail addresses, arriving at a steady rate, cut into the batches the sync
// function would receive, and tallied against sending each event alone.
package plantest
