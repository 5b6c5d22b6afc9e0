// Package dynamo keeps zohosync's delivery claims, blobs and dead letters in
// the one state table of template.yaml, over aws-sdk-go-v2. It implements
// core.Claims, core.Blobs and core.DeadLetters and holds no business rules:
// each method does one storage job and says precisely what failed (typed
// errors: ErrNotFound, ErrNotHeld, ErrAlreadyReplayed, ErrCorrupt,
// ErrTooLarge, ErrInvalid, else the SDK's error wrapped once).
//
// Build one Table per container with New (client, table name, options such
// as an injectable clock and retention times) and take the item kinds from
// it: Claims, Blobs, DeadLetters.
//
// # Table layout
//
// The table has string keys pk and sk, one global secondary index gsi1 on
// gsi1pk / gsi1sk (projection ALL), and TTL on expires_at (epoch seconds).
// DynamoDB deletes expired items up to days late (DynamoDB Local never), so
// every read here treats an item whose expires_at has passed as absent, and
// every conditional write treats it as free.
//
//	item                  pk               sk                  gsi1pk / gsi1sk                     expires_at
//	delivery claim        src#<source>     evt#<event id>      -                                   claim time + 7 d
//	blob meta             blob#<key>       meta                -                                   write + 14 d, or kept longer
//	blob part             blob#<key>       part#<gen>#<nnnn>   -                                   same as its meta (or later)
//	dead letter (main)    dl#<id>          dl                  -                                   write + 365 d
//	dead letter by org    dl#<id>          by#org              dlorg#<org> / <at>#<id>             same as main
//	dead letter by source dl#<id>          by#source           dlsrc#<source> / <at>#<id>          same as main
//	dead letter by code   dl#<id>          by#code             dlcode#<org>#<code> / <at>#<id>     same as main
//
// Other packages own org#<org> / token, org#<org> / credits and
// org#<org> / slot#… items; no key of this package starts with "org#", and
// the gsi1 partitions used here all start with "dl". In composite keys '%'
// and '#' inside a name are escaped as %25 and %23, so names never collide.
// <at> is a fixed-width UTC time (2006-01-02T15:04:05.000000000Z), so string
// order is time order.
//
// # Delivery claims
//
// A claim item holds state (in_progress or enqueued), owner (a random token
// per claim), lease_until (epoch milliseconds) and claimed_at / done_at.
// Claim is one conditional PutItem with ReturnValuesOnConditionCheckFailure:
// it succeeds when the item is absent, expired, or in progress with a lapsed
// lease (a crashed attempt never blocks the sender's retry); otherwise the
// returned old item says ClaimDone or ClaimBusy. Complete and Release are
// conditional on the owner token.
//
// # Blobs
//
// Bodies are gzip-compressed and cut into parts of at most 350,000 bytes
// (DynamoDB's item limit is 400 KB). <gen> is the first 16 hex digits of the
// content's SHA-256, so parts of different content under one key never mix.
// Parts are written first, the meta item (length, SHA-256, part count) last;
// GetBlob reads all of the key's items in one consistent Query and verifies
// length and SHA-256. Writes and Keep only ever extend expires_at.
//
// # Dead letters
//
// <id> is DeadLetterID(source, event id, operation id), so dead-lettering the
// same operation twice writes one dead letter (the main item's put is
// conditional, in one transaction with the index items). The main item holds
// the whole core.DeadLetter as gzip-compressed JSON in doc, or, above
// 300,000 compressed bytes, a blob key (dl/<id>) in doc_ref. Every item
// carries the summary attributes (id, org, source, event_id, op, module,
// route, code, message cut to 512 bytes, attempts, at, first_at,
// replayed_at), so listings never read the large document:
//
//   - by org:            gsi1pk = dlorg#<org>
//   - by org and code:   gsi1pk = dlcode#<org>#<code>
//   - by source:         gsi1pk = dlsrc#<source> (org and code then filter)
//
// each newest first (ScanIndexForward false), with a time range as a
// condition on gsi1sk and an opaque cursor (the LastEvaluatedKey) for the
// next page. Counts tallies an org's index items per code. MarkReplayed sets
// replayed_at and a replay token on all four items in one transaction,
// conditional on the main item not being marked yet; UnmarkReplayed removes
// them, conditional on the token.
package dynamo
