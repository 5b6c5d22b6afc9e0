// Package syncer is the sync function's handler: it takes a batch of events
// from the events queue, maps them to CRM operations, plans the fewest Zoho
// calls, runs them within the org's fleet-wide credit budget and concurrency
// share, and settles every operation in exactly one of three ways:
//
//   - done: the record is in Zoho;
//   - requeued: sent back to the events queue with a delay (exponential
//     backoff with full jitter; waits beyond SQS's 900 s hop via not_before);
//   - dead-lettered: stored with Zoho's (or the mapping's) code, message and
//     details, replayable.
//
// Only a message whose outcome could not be written durably (the requeue or
// the dead letter failed), or that could not be read at all, is reported as a
// batch item failure; SQS then redelivers it (and after maxReceiveCount moves
// it to the dead-letter queue). A per-record problem never fails the batch.
//
// The handler depends on small interfaces (mapping, planning, Zoho, tokens,
// ledger, queue, dead letters); the functions/sync main wires the real ones.
package syncer
