package zohosim

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
)

// Records returns copies of a module's records in creation order, each with
// all its fields plus id, Created_Time, Modified_Time, Created_By,
// Modified_By and Owner. An unknown module yields nil.
func (s *Sim) Records(module string) []map[string]any {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	t := s.store.tables[module]
	if t == nil {
		return nil
	}
	rows := t.sorted()
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = s.render(r)
	}
	return out
}

// Record returns a copy of one record, or nil.
func (s *Sim) Record(module, id string) map[string]any {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	t := s.store.tables[module]
	if t == nil || t.rows[id] == nil {
		return nil
	}
	return s.render(t.rows[id])
}

// FindRecord returns a copy of the oldest record of module whose field
// equals value, or nil. Strings compare as duplicate checks do
// (case-insensitively unless Unconfirmed.CaseSensitiveMatch); numbers
// compare by their decimal text; a lookup field matches its record id.
func (s *Sim) FindRecord(module, field string, value any) map[string]any {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	t := s.store.tables[module]
	if t == nil {
		return nil
	}
	want, ok := s.store.matchKey(normalizeQuery(value))
	if !ok {
		return nil
	}
	if ids := t.index[field][want]; len(ids) > 0 {
		return s.render(t.rows[ids[0]])
	}
	for _, r := range t.sorted() {
		if got, ok := s.store.matchKey(fieldValue(r, field)); ok && got == want {
			return s.render(r)
		}
	}
	return nil
}

func fieldValue(r *record, field string) any {
	if field == "id" {
		return r.id
	}
	return r.values[field]
}

// render turns a stored record into the map Records returns.
func (s *Sim) render(r *record) map[string]any {
	out := make(map[string]any, len(r.values)+6)
	for k, v := range r.values {
		if v != nil {
			out[k] = cloneValue(v)
		}
	}
	user := map[string]any{"name": s.user.Name, "id": s.user.ID}
	out["id"] = r.id
	out["Created_Time"] = s.formatTime(r.created)
	out["Modified_Time"] = s.formatTime(r.modified)
	out["Created_By"] = user
	out["Modified_By"] = cloneValue(user)
	out["Owner"] = cloneValue(user)
	return out
}

// normalizeQuery turns Go numbers into the json.Number form records hold.
func normalizeQuery(v any) any {
	switch x := v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return json.Number(fmt.Sprint(x))
	case float32, float64:
		return json.Number(strconv.FormatFloat(reflect.ValueOf(x).Float(), 'f', -1, 64))
	}
	return v
}
