// Package account settles the fault run's books: for every generated event
// it finds where each expected record ended, using three witnesses that do
// not depend on each other:
//
//   - the simulator's records, counted by unique key (the record is in
//     Zoho, once);
//   - zohosync's dead letters in DynamoDB (the record was given up on, and
//     why);
//   - the wire, as the tap recorded it: every code the simulator answered
//     for each record, so a dead letter's code can be checked against what
//     was actually injected.
//
// The sync handler's own reports (its OnResult hook) confirm that each
// synced operation was reported done for its event, so a record written by
// one event cannot hide another event's lost operation. Each written
// record must also carry its own event's values (the person's name) and
// lookups that point at the records its event wrote (a Deal at its buyer's
// Contact), so results mapped back to the wrong operations show.
//
// An operation is accounted for when its record exists and no dead letter
// names it, or when a dead letter names it with a right reason: the code
// the event was built to earn, a code the simulator answered for that
// record (a retryable one only after the retry budget was spent), or
// DEPENDENCY_FAILED when another operation of the same event was dead-
// lettered. Everything else is counted as lost, duplicated, wrong, or
// unexpected, and described.
package account
