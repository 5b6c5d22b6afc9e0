package zohosim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// zohoTimeLayout is Zoho's datetime format, yyyy-MM-ddTHH:mm:ss±HH:MM.
const zohoTimeLayout = "2006-01-02T15:04:05-07:00"

// record is one stored CRM record. values holds only schema fields, already
// validated and normalized.
type record struct {
	id       string
	seq      uint64
	values   map[string]any
	created  time.Time
	modified time.Time
}

func (r *record) clone() *record {
	c := *r
	c.values = make(map[string]any, len(r.values))
	for k, v := range r.values {
		c.values[k] = cloneValue(v)
	}
	return &c
}

// table is one module's records with an index on its key fields (system
// duplicate-check field and unique fields).
type table struct {
	mod   *module
	rows  map[string]*record
	index map[string]map[string][]string // field -> match key -> ids, oldest first
}

// store holds every module's records. Callers take mu; the methods below
// expect it held.
type store struct {
	mu            sync.RWMutex
	tables        map[string]*table
	seq           uint64
	caseSensitive bool
}

func newStore(s *schema, caseSensitive bool) *store {
	st := &store{tables: map[string]*table{}, caseSensitive: caseSensitive}
	for name, m := range s.modules {
		st.tables[name] = newTable(m)
	}
	return st
}

func newTable(m *module) *table {
	t := &table{mod: m, rows: map[string]*record{}, index: map[string]map[string][]string{}}
	for _, f := range m.fields {
		if m.isKey(f) {
			t.index[f.APIName] = map[string][]string{}
		}
	}
	return t
}

// reset drops every record.
func (st *store) reset() {
	for name, t := range st.tables {
		st.tables[name] = newTable(t.mod)
	}
}

// matchKey is the form in which key values are compared.
func (st *store) matchKey(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		if !st.caseSensitive {
			x = strings.ToLower(x)
		}
		return x, x != ""
	case json.Number:
		return string(x), true
	case map[string]any:
		id, _ := x["id"].(string)
		return id, id != ""
	}
	return fmt.Sprint(v), true
}

// lookup returns the ids whose field matches v, oldest first.
func (st *store) lookup(t *table, field string, v any) []string {
	key, ok := st.matchKey(v)
	idx := t.index[field]
	if !ok || idx == nil {
		return nil
	}
	return idx[key]
}

func (st *store) addIndex(t *table, r *record) {
	for field, idx := range t.index {
		if key, ok := st.matchKey(r.values[field]); ok {
			idx[key] = append(idx[key], r.id)
		}
	}
}

func (st *store) dropIndex(t *table, r *record) {
	for field, idx := range t.index {
		key, ok := st.matchKey(r.values[field])
		if !ok {
			continue
		}
		ids := slices.DeleteFunc(idx[key], func(id string) bool { return id == r.id })
		if len(ids) == 0 {
			delete(idx, key)
		} else {
			idx[key] = ids
		}
	}
}

// put inserts or replaces r.
func (st *store) put(t *table, r *record) {
	if old := t.rows[r.id]; old != nil {
		st.dropIndex(t, old)
	}
	t.rows[r.id] = r
	st.addIndex(t, r)
}

// remove deletes the record with id, if any.
func (st *store) remove(t *table, id string) {
	if old := t.rows[id]; old != nil {
		st.dropIndex(t, old)
		delete(t.rows, id)
	}
}

// newRecord creates a record with a fresh sequence number.
func (st *store) newRecord(id string, values map[string]any, now time.Time) *record {
	st.seq++
	return &record{id: id, seq: st.seq, values: values, created: now, modified: now}
}

// sorted returns a table's records in creation order.
func (t *table) sorted() []*record {
	out := make([]*record, 0, len(t.rows))
	for _, r := range t.rows {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *record) int { return compareUint(a.seq, b.seq) })
	return out
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneValue(e)
		}
		return out
	}
	return v
}
