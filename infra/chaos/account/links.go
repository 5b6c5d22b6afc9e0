package account

import (
	"fmt"

	"github.com/zohosync/zohosync/infra/chaos/gen"
)

// links checks lookup fields. A record written by one event must point at
// the very records that event's other operations wrote. A record several
// events write (a returning customer's Contact) keeps whichever event wrote
// it last, so its lookup must point at a record one of those events
// referred to.
type links struct {
	byKey  map[string][]map[string]any
	owners map[string]int             // record key -> events writing it
	accept map[string]map[string]bool // key|field -> acceptable record ids
	shared map[string]map[string]any  // key|field -> the shared record
}

func newLinks(events []*gen.Event, byKey map[string][]map[string]any) *links {
	l := &links{byKey: byKey, owners: map[string]int{}, accept: map[string]map[string]bool{},
		shared: map[string]map[string]any{}}
	for _, e := range events {
		for _, op := range e.Ops {
			l.owners[op.Key]++
		}
	}
	for _, e := range events {
		for _, op := range e.Ops {
			for f, target := range op.Refs {
				if id := l.idOf(e, target); id != "" {
					k := op.Key + "|" + f
					if l.accept[k] == nil {
						l.accept[k] = map[string]bool{}
					}
					l.accept[k][id] = true
				}
			}
		}
	}
	return l
}

// idOf is the record id written for the operation target of e, or "".
func (l *links) idOf(e *gen.Event, target string) string {
	for _, op := range e.Ops {
		if op.ID == target && len(l.byKey[op.Key]) == 1 {
			id, _ := l.byKey[op.Key][0]["id"].(string)
			return id
		}
	}
	return ""
}

// check1 checks one lookup of a record op wrote; a shared record is
// checked once at the end (check).
func (l *links) check1(e *gen.Event, op gen.Op, field, target string, rec map[string]any) string {
	got := lookupID(rec[field])
	if l.owners[op.Key] > 1 {
		l.shared[op.Key+"|"+field] = rec
		return ""
	}
	want := l.idOf(e, target)
	switch {
	case want == "":
		return fmt.Sprintf("written, but the record its %s refers to (operation %s) is not in Zoho", field, target)
	case got != want:
		return fmt.Sprintf("%s points at record %q, want %q (operation %s)", field, got, want, target)
	}
	return ""
}

// check checks the lookups of shared records.
func (l *links) check(r *Report) {
	for k, rec := range l.shared {
		field := fieldOf(k)
		if got := lookupID(rec[field]); got != "" && !l.accept[k][got] {
			r.Corrupt++
			r.problem("corrupt", "shared record %s: %s points at record %q, which none of its events referred to", k, field, got)
		}
	}
}

// fieldOf returns the field after the last "|" of a key|field string.
func fieldOf(k string) string {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == '|' {
			return k[i+1:]
		}
	}
	return k
}

func lookupID(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	id, _ := m["id"].(string)
	return id
}
