// Package obs is zohosync's observability: structured JSON logs through
// log/slog, each line carrying the Lambda request id and the org, source and
// event id the context names; and CloudWatch metrics written to stdout in the
// embedded metric format (EMF), so CloudWatch Logs turns them into metrics
// with no API calls on the hot path.
//
// Never pass secrets to either: no tokens, client or signing secrets,
// Authorization headers or raw bodies.
package obs
