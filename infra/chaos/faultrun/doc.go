// Package faultrun is zohosync's fault run: it proves, under faults, that
// every event ends in exactly one of two places, its records in Zoho (each
// once) or a dead letter that says why.
//
// A run starts the local stack (DynamoDB Local and fauxqs with
// template.yaml's table and queues), the Zoho simulator behind a recording
// tap (package tap), and the real handlers built through shared/app: the
// ingest function in process behind the local front door, and the sync
// side as separate worker processes (package worker), each an event source
// mapping poller in front of the real sync handler with the real DynamoDB
// token store, ledger and dead letters. It posts generated, signed webhooks
// (package gen), duplicates included, while the simulator injects 500s,
// hangs past the client's timeout (some after committing), dropped
// connections, 207 mixes with every per-record error code, scattered
// per-record errors, bursts of 429s and of RECORD_LOCKED, and "invalidate
// all access tokens now"; and while the run SIGKILLs a worker that holds a
// batch, then starts a new one. Timeouts, leases and backoffs are short,
// set through shared/app's options.
//
// When the queue has drained, the books (package account) account for
// every event from the simulator's records, the dead-letter table, the tap
// and the workers' result reports; the logs of every function and worker,
// and the dead letters' summaries, are scanned (package scan) for every
// credential the run saw. Result.OK says whether nothing was lost,
// duplicated, wrongly dead-lettered, stuck or leaked.
package faultrun
