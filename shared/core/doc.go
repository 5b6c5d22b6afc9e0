// Package core names zohosync's domain once: the envelope an ingested webhook
// travels in, the CRM operations the mapping derives from it, the Zoho calls
// the planner packs them into, the per-operation results, and dead letters.
// It also declares the small interfaces the handlers depend on; adapter
// packages (zoho, dynamo, queue, auth, ledger) implement them.
//
// Field values inside operations are JSON values decoded with UseNumber:
// string, json.Number, bool, nil, []any and map[string]any. Numbers are never
// float64, so large ids (Shopify order ids above 2^53) stay exact.
package core
