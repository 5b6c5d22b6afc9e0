// Package samples reads the signed sample webhook deliveries in
// testdata/webhooks/<source>/deliveries.json and signs bodies the way each
// sender does (Stripe, Shopify, Typeform, Calendly), with the samples' fake
// secrets.
//
// Stripe and Calendly sign a timestamp and the samples date from 2025, so a
// verifier that checks the age of the timestamp against the current time
// rejects them. A real sender signs every attempt afresh; Resign does the
// same at the moment of sending. Shopify and Typeform sign the body only, so
// their sample headers are used as they are.
package samples
