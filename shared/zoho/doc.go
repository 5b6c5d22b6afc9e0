// Package zoho is zohosync's Zoho CRM REST client: it sends the calls the
// planner made (record batches and composite requests) and turns Zoho's
// answers into one core.Result per operation. Client implements core.CRM.
//
// Requests go to the token's api_domain (the data centre the token belongs
// to; a token used on another data centre's host is refused with
// INVALID_TOKEN), under /crm/{version}/, v8 by default:
//
//   - insert: POST /crm/v8/{module}
//   - update: PUT /crm/v8/{module}, each record carrying its id
//   - upsert: POST /crm/v8/{module}/upsert with duplicate_check_fields
//   - composite: POST /crm/v8/__composite_requests, sub-requests run in
//     order (parallel_execution false) so references and repeated writes of
//     one record keep their order.
//
// Zoho answers writes record by record inside data[], in request order,
// whatever the HTTP status (201, 207, 400, ...); the client maps each item
// to its operation by index and cross-checks the index in json_path where
// Zoho gives one. Anything it cannot map with certainty (a count mismatch, an
// unreadable body) is an error, never a guess.
//
// Request-level failures come back as errors: *APIError for Zoho's own
// answers (with Retryable and the sentinels ErrInvalidToken, ErrRateLimited,
// ErrLimitExceeded for errors.Is), *TransportError when no answer arrived,
// *ResponseError when the answer could not be read. Every body, error bodies
// included, is read through a size cap. Error texts never include the access
// token or record data.
//
// References: https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html,
// .../v8/upsert-records.html, .../v8/composite-api.html,
// .../v8/status-codes.html, and the project's docs/ZOHO.md.
package zoho
