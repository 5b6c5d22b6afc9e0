// Package tap is a recording reverse proxy in front of the Zoho simulator.
// zohosync talks to the tap as if it were Zoho (its accounts URL points at
// it, and the tap rewrites api_domain in token answers so API calls come
// back through it), and the tap writes down what crossed the wire:
//
//   - every credential seen: access and refresh tokens the accounts server
//     issued, grant codes, client secrets, Authorization header values, so
//     the fault run can scan its logs for each of them;
//   - for every record a write carried, each code Zoho answered for it
//     (SUCCESS, INVALID_DATA, RECORD_LOCKED, a request-level 429 or 500,
//     TIMEOUT when the client gave up, CONNECTION_ERROR when the simulator
//     dropped the connection), keyed by the record's unique key, so a dead
//     letter's code can be checked against what the simulator injected;
//   - call counts by HTTP status.
//
// The tap keeps records and secrets in memory only and never logs them. It
// listens on 127.0.0.1 and is safe for concurrent use.
package tap
