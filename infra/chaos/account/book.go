package account

import (
	"strings"

	"github.com/zohosync/zohosync/infra/chaos/gen"
)

// mustRetry are codes zohosync's design says to retry (DESIGN.md, Retries:
// 429, 5xx, timeouts, RECORD_LOCKED, INVALID_TOKEN after one refresh). A
// dead letter with one of them is right only once the attempts ran out.
// ROLLBACK_PERFORMED, PROCESSING_STOPPED and INVALID_REFERENCE say a
// composite sub-request did not run because another one failed: the sub
// itself may succeed later.
var mustRetry = map[string]bool{
	"TOO_MANY_REQUESTS": true, "INTERNAL_ERROR": true, "RECORD_LOCKED": true, "INVALID_TOKEN": true,
	"AUTHENTICATION_FAILURE": true, "TIMEOUT": true, "CONNECTION_ERROR": true, "REQUEST_TIMEOUT": true,
	"ROLLBACK_PERFORMED": true, "PROCESSING_STOPPED": true, "INVALID_REFERENCE": true,
}

// dependent are codes of an operation that failed because one it refers
// to did: right when another operation of the same event was given up on.
var dependent = map[string]bool{"DEPENDENCY_FAILED": true, "INVALID_REFERENCE": true, "PROCESSING_STOPPED": true}

func retryable(code string) bool {
	return mustRetry[code] || strings.HasPrefix(code, "HTTP_5")
}

// book settles one event.
type book struct {
	in     Inputs
	r      *Report
	e      *gen.Event
	dls    map[OpRef]DeadLetter
	used   map[OpRef]bool
	counts map[string]int
	need   map[string]bool
	byKey  map[string][]map[string]any
	links  *links
}

func (b *book) settle() {
	e := b.e
	if e.DeadCode != "" && e.DeadOp == "" {
		b.wholeEvent()
		return
	}
	for _, op := range e.Ops {
		b.r.Ops++
		b.op(op)
	}
}

// wholeEvent checks an event built to fail its mapping.
func (b *book) wholeEvent() {
	e, ref := b.e, OpRef{b.e.ID, ""}
	d, ok := b.dls[ref]
	if !ok {
		b.r.Lost++
		b.r.problem("lost", "event %s (%s): no dead letter, want %s", e.ID, e.Kind, e.DeadCode)
		return
	}
	b.used[ref] = true
	b.r.DeadByCode[d.Code]++
	if d.Code != e.DeadCode {
		b.r.WrongReason++
		b.r.problem("wrong reason", "event %s (%s): dead letter %s, want %s", e.ID, e.Kind, d.Code, e.DeadCode)
		return
	}
	b.r.Designed++
}

// op settles one operation: dead-lettered (with a right reason), or
// written and reported done.
func (b *book) op(op gen.Op) {
	e, ref := b.e, OpRef{b.e.ID, op.ID}
	d, dead := b.dls[ref]
	if !dead {
		b.synced(op, ref)
		return
	}
	b.used[ref] = true
	b.r.DeadByCode[d.Code]++
	if e.DeadOp == op.ID && d.Code == e.DeadCode {
		b.r.Designed++
		return
	}
	if why := b.wrong(op, d); why != "" {
		b.r.WrongReason++
		b.r.problem("wrong reason", "event %s (%s) op %s: dead letter %s after %d attempts: %s",
			e.ID, e.Kind, op.ID, d.Code, d.Attempts, why)
	}
}

// synced checks an operation without a dead letter.
func (b *book) synced(op gen.Op, ref OpRef) {
	e := b.e
	b.need[op.Key] = true
	switch {
	case b.counts[op.Key] == 0:
		b.r.Lost++
		b.r.problem("lost", "event %s (%s) op %s: no record %s and no dead letter (wire: %s)",
			e.ID, e.Kind, op.ID, op.Key, codesText(b.in.Wire(op.Key)))
	case e.DeadOp == op.ID:
		b.r.Missed++
		b.r.problem("missed", "event %s (%s) op %s: built to fail with %s, but record %s was written",
			e.ID, e.Kind, op.ID, e.DeadCode, op.Key)
	case !b.in.Done[ref]:
		b.r.Unconfirmed++
		b.r.problem("unconfirmed", "event %s (%s) op %s: record %s exists but sync never reported this operation done",
			e.ID, e.Kind, op.ID, op.Key)
	case b.counts[op.Key] == 1:
		b.intact(op, b.byKey[op.Key][0])
	}
}

// intact checks a written record's values and lookups.
func (b *book) intact(op gen.Op, rec map[string]any) {
	e := b.e
	for f, want := range op.Fields {
		if got, _ := rec[f].(string); !strings.Contains(got, want) {
			b.r.Corrupt++
			b.r.problem("corrupt", "event %s (%s) op %s: record %s has %s %q, want it to contain %q",
				e.ID, e.Kind, op.ID, op.Key, f, got, want)
		}
	}
	for f, target := range op.Refs {
		if why := b.links.check1(e, op, f, target, rec); why != "" {
			b.r.Corrupt++
			b.r.problem("corrupt", "event %s (%s) op %s: record %s: %s", e.ID, e.Kind, op.ID, op.Key, why)
		}
	}
}

// wrong returns why a dead letter's code is not justified, or "".
func (b *book) wrong(op gen.Op, d DeadLetter) string {
	if dependent[d.Code] {
		for _, other := range b.e.Ops {
			if _, ok := b.dls[OpRef{b.e.ID, other.ID}]; ok && other.ID != op.ID {
				return ""
			}
		}
		if d.Code == "DEPENDENCY_FAILED" {
			return "no other operation of the event was dead-lettered"
		}
	}
	wire := b.in.Wire(op.Key)
	if wire[d.Code] == 0 {
		return "Zoho never answered that for record " + op.Key + " (answers: " + codesText(wire) + ")"
	}
	if retryable(d.Code) && d.Attempts < b.in.MaxAttempts {
		return "a retryable code, dead-lettered before the retry budget ran out"
	}
	return ""
}
