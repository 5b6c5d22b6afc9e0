// Package queue sends envelopes to zohosync's events queue (SQS) and reads
// them back on the sync side. It implements core.Queue over aws-sdk-go-v2
// and holds no business rules: no retry policy, no mapping.
//
// Send and SendBatch clamp delays into SQS's [0 s, 900 s], marshal the
// envelope as JSON, and tag each message with the attributes source, org and
// event_id (for filtering in the console). A message larger than the inline
// limit (256 KiB less a 4 KiB margin by default, counting the attributes as
// SQS does) has its body stored through a core.Blobs under BlobKey (derived
// from the source, the event id and the body's SHA-256) and carries BodyRef
// instead: a body is never truncated. SendBatch packs envelopes into
// SendMessageBatch calls of at most 10 entries and 256 KiB, which cuts SQS
// requests (and cost) by up to ten, and reports every entry's outcome.
//
// Decode reverses it: the envelope (core.UnmarshalEnvelope) and the raw body,
// fetched and verified (length and SHA-256) when out of band. Its errors say
// whether retrying can help: a *PoisonError (errors.Is ErrPoison) never will.
package queue
