// Package ledger keeps each org's fleet-wide Zoho API budget in the state
// table: the rolling 24-hour credit budget, the concurrency share and the
// sub-concurrency share, and the cool-down after a 429. The Ledger
// implements core.Ledger.
//
// Zoho's rules this package applies (docs/ZOHO.md §4, §5): credits used at time
// T count against the daily allowance until T+24h (no midnight reset); the
// allowance is min(base + users × rate, cap) + add-ons per edition; each
// edition has a concurrency limit, and complex calls (writes of more than 10
// records) also share a sub-concurrency limit of 10; excess is HTTP 429.
// zohosync takes credit_share of the credits (Budget) and concurrency_share
// of the concurrency.
//
// # Items
//
// All items of an org share the partition key "org#<org>".
//
// sk "credits" — the rolling window, about 0.5 KB:
//
//	head_bucket        index of the newest bucket (epoch ms / bucket_ms)
//	bucket_used        list of 24h/bucket + 1 numbers: credits per bucket, a ring
//	                   (slot k mod len holds bucket k for the len buckets up to head)
//	used_total         sum(bucket_used) + ext_used
//	ext_used           usage inferred for other apps (see Settle) ...
//	ext_until          ... and when it expires, epoch ms
//	cool_until         cool-down end, epoch ms (absent: none)
//	item_version       incremented by every write
//	bucket_ms, budget  the bucket width and budget the item was written with
//	zoho_remaining     the last X-API-CREDITS-REMAINING that changed ext_used,
//	zoho_remaining_at  and when it was seen
//
// A bucket's usage leaves the window when head passes it by the ring's
// length, that is at the bucket's start + 24 h + one bucket: never before
// Zoho frees it, at most one bucket (default 15 min) after.
//
// sk "slot#<pool>#<n>" — one concurrency slot, pool "main" (n below
// concurrency_share) or "sub" (n below the sub share):
//
//	slot_holder   the Acquire that holds it
//	lease_until   epoch ms; after it the slot is free whoever holds it
//	expires_at    table TTL (epoch s), an hour after the lease
//
// An absent slot item, or one whose lease ended, is free.
//
// # Writes
//
// Reserve is one UpdateItem: add the credits to the newest bucket and the
// total, conditional on the head bucket, the budget (used_total ≤ budget −
// credits) and no cool-down. Concurrent reservations commute and never
// conflict; a failed condition returns the item (ReturnValuesOnCondition-
// CheckFailure), so a denial needs no extra read. Moving the ring to a new
// bucket (once per bucket per org) rewrites the item optimistically on item_version,
// retried a bounded number of times. The last item seen is cached per
// container, so the hot path does not read first. Settle writes only when
// credits come back (or more were spent) and when reconciliation moves the
// inferred usage.
//
// Acquire reads the slots (one Query) and the cool-down (one GetItem) in
// parallel, then writes the chosen free slots in one TransactWriteItems
// (all or nothing: a composite takes 5 units), or one conditional PutItem
// for a single slot. Release deletes each slot conditional on its holder.
// Per Zoho call of one unit that is 2 writes (put, delete); a composite
// costs a 5-item transaction (10 write units) and 5 deletes. Acquirers that
// pick the same free slot lose the condition; Acquire then reads and tries
// once more and otherwise denies with a short RetryAt, and AcquireWait's
// doubling, jittered waits (up to a second) keep a crowd of waiters from
// polling in step. With far more waiters than slots, failed claims add
// writes: the fleet test (50 workers, 8 units) measured about 6.7 write
// calls and 11 reads per Zoho call, against 2 and 2 uncontended.
//
// DynamoDB Local never raises TransactionConflictException; the retry paths
// for it are tested with a fault-injecting DB.
package ledger
