// Package plan turns the operations of a batch of events into the fewest,
// cheapest Zoho CRM calls. It is pure: no I/O, no clock, no randomness; the
// same input always gives the same plan.
//
// # What Make does
//
//  1. Validates every operation and the references inside its event (an
//     event's operations share their first Source; Ref.Op names another
//     operation of that event by ID). Operations that cannot be sent (bad
//     action, unknown or cyclic reference, ...) and the operations that refer
//     to them are returned in Plan.Rejected, never planned.
//  2. Coalesces operations that write the same record: upserts with the same
//     org, module, duplicate_check_fields and match values; updates with the
//     same org, module and record id. Inserts are never coalesced. Match
//     values compare exactly, except e-mail fields (an API name that is
//     "Email" or ends in "Email", case-insensitively), whose string values
//     compare case-insensitively because Zoho matches e-mail addresses that
//     way. Events are merged in input (queue) order: later events win field
//     by field, a reference counts as a field, the trigger lists are united
//     (nil, meaning "all automation", absorbs any list), and the Sources are
//     concatenated so every per-record result maps back to every message.
//  3. Builds the dependency graph: an operation depends on the operations its
//     references resolve to (Operation.RefTargets). If merging an event into
//     earlier records would close a cycle, that event's operations are not
//     merged but written after the earlier writes of the same records.
//  4. Decides, per org and by cost, which small dependency chains (and, when
//     credits bind, which small leftovers) travel as composite calls, and puts
//     everything else in record batches: one group per (module, action,
//     duplicate_check_fields, trigger, depth), chunked to 100 records (10
//     when sub-concurrency binds).
//
// # Cost model
//
// Zoho charges 1 credit per 10 records of an insert, update or upsert (so a
// call of 1 to 10 records costs 1, a full call of 100 costs 10) and holds one
// concurrency unit per call; a write of more than 10 records also holds one
// of the 10 sub-concurrency slots. A composite call carries at most 5
// single-record sub-requests for 1 credit (2 with rollback) but holds 5
// concurrency units and a sub-concurrency slot. See CostOf.
//
// # The composite rule
//
// Composite calls never beat batches on volume (0.2 credits per record at
// best against 0.1), so the planner starts from "everything in batches" and
// only moves whole dependency components of at most 5 operations into
// composites where that lowers the plan's cost, judged lexicographically in
// the order the binding limit dictates (credits first by default). A batch
// group's credits fall only when its last, partial chunk empties, so for each
// group the search tries to move that tail's components (smallest first) into
// composites packed 5 sub-requests to a call, and keeps the move when the
// whole plan got cheaper; then it moves the tails of several groups
// together, smallest first, so leftovers of different modules share
// composites, keeping the longest prefix that pays; finally it compares
// against putting every candidate in composites. A few checkout chains thus become one composite (1 credit
// instead of one credit per module), while a hundred become two batch stages
// (20 credits for 200 records instead of 40 in composites).
//
// # For the executor
//
// Run stages in order. Before sending a call, fill every lookup whose
// target ran in an earlier stage: Fields[f] = {"id": <record id>} for each
// f, target in RefTargets that the call's composite Sub.Refs does not wire
// itself. After coalescing, a Ref's Op name alone may be ambiguous (several
// events use the same op IDs); RefTargets is authoritative. Every input
// operation is either in exactly one call (listed in the Sources of one
// planned operation, Source.Op naming it) or in Plan.Rejected.
//
// # Known limits
//
// TODO: writes of one record that coalescing cannot see as one (an upsert
// on Email and another on Email and Phone, or an update by id and an upsert
// of the same record) may land in one stage and run concurrently, so which
// value wins is up to Zoho; it matters only when two routes write one
// module with different match fields.
package plan
