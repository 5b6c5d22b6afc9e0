// Package gen builds the fault run's webhooks: varied deliveries of the four
// sample senders (Stripe, Shopify, Typeform, Calendly), made from the signed
// samples in testdata/webhooks with fresh ids, e-mails, names and amounts,
// signed with the samples' secrets, and, for each one, what must become of
// it: the records it must leave in Zoho (by module and unique key) or the
// dead-letter code it was built to earn.
//
// The expectations are written here, from what each body says, not derived
// from zohosync's mapping: the fault run compares them with what the
// simulator holds and what zohosync reported, so a mapping that dropped an
// operation would show as a lost record. The generator's own test checks
// them once against the shipped config's mapping.
//
// A Generator is deterministic for a seed and not safe for concurrent use;
// Deliver may be called concurrently.
package gen
