// Package naive is the baseline the benchmark compares zohosync with: the
// pattern of per-event integrations, one Zoho call per event. An event with
// one operation becomes a one-record write; an event with a dependent chain
// (a Contact, then a Deal that refers to it) becomes one composite call with
// a sub-request per operation, the references written as Zoho's
// @{sub_request_id:$.data[0].details.id} placeholders.
//
// It writes the same records zohosync would (the operations come from
// zohosync's mapping), speaks plain HTTP to the Zoho API (it shares no code
// with zohosync's Zoho client), holds at most as many concurrency units as
// the org's share (a composite holds five), and retries a 429 after a pause.
package naive
