// Package zohosim is a Zoho CRM simulator: an independent oracle that tests,
// the local stack and benchmarks of zohosync talk to instead of Zoho.
//
// It serves, per data centre, one HTTP listener on 127.0.0.1 that is both the
// accounts server (POST /oauth/v2/token, /oauth/v2/token/revoke) and the API
// host (/crm/v{2..8}/...), plus a control API under /__sim/. It models what
// zohosync depends on, as described in the project's docs/ZOHO.md:
//
//   - records per module with a schema (standard Leads, Contacts, Accounts
//     and Deals embedded; extra custom fields from JSON files), validated per
//     data type with Zoho's per-record error codes;
//   - insert, update and upsert (duplicate_check_fields, unique fields) with
//     the 100-record limit and the 201/200/207/400 status rules;
//   - composite requests with references, rollback and the documented item
//     codes;
//   - OAuth with grant codes, refresh tokens, expiring access tokens, the
//     15-live-token and 10-mints-per-10-minutes limits and HTTP 200 errors;
//   - API credits in a rolling 24-hour window, edition concurrency and the
//     shared sub-concurrency, both answered with 429 TOO_MANY_REQUESTS;
//   - latency models and scripted faults;
//   - counters and a request log for assertions.
//
// Points docs/ZOHO.md marks UNCONFIRMED are settings in [Unconfirmed], each with a
// documented default. The package imports nothing from zohosync's shared/
// folder and shares no types with its Zoho client, so a bug in one cannot
// hide in the other.
//
// A Sim is safe for concurrent use. Typical test use:
//
//	sim, err := zohosim.New(zohosim.Config{Edition: "enterprise", Users: 10})
//	srv, err := sim.Start()
//	defer srv.Close()
//	sim.AddClient("eu", "client-id", "client-secret")
//	refresh := sim.SeedRefreshToken("eu", "client-id")
//	// point the client under test at srv.AccountsURL("eu") ...
//	got := sim.FindRecord("Contacts", "Email", "a@example.com")
package zohosim
