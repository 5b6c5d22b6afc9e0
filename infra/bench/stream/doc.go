// Package stream builds webhook streams for the benchmark from the signed
// samples in testdata/webhooks: each event is one of the sample bodies with
// its ids, people, e-mail addresses, phone numbers, postal addresses,
// companies and amounts varied, and its headers (Shopify's event and
// webhook ids) made unique, then signed the way its sender signs, with the
// sample's test secret, at the moment it is sent.
//
// A stream is reproducible from its seed. Checkouts and invoices can be
// made by a customer whose customer.created event came shortly before
// (sometimes with the e-mail address in another letter case), as Stripe
// sends both for a new customer; zohosync then writes one Contact for both.
package stream
