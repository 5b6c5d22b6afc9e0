package zohosim

import "time"

// insertKeyFields are the fields a plain insert checks for duplicates: the
// system duplicate-check field (unless Unconfirmed says otherwise), then
// unique fields.
func (s *Sim) insertKeyFields(mod *module) []*fieldDef {
	keys := mod.uniqueFields()
	sys := mod.byName[mod.dupCheck]
	if !s.cfg.Unconfirmed.AllowSystemDuplicateOnInsert && !containsField(keys, sys) {
		keys = append([]*fieldDef{sys}, keys...) // a new slice: keys is the module's
	}
	return keys
}

func containsField(list []*fieldDef, f *fieldDef) bool {
	for _, g := range list {
		if g == f {
			return true
		}
	}
	return false
}

func (s *Sim) insertLocked(op *writeOp, t *table, pr *parsedRecord, now time.Time, keys []*fieldDef) (*record, *apiError) {
	if err := checkMandatory(t.mod, pr, true); err != nil {
		return nil, err
	}
	if err := s.checkLookups(pr); err != nil {
		return nil, err
	}
	if err := s.checkDuplicates(t, pr, "", keys); err != nil {
		return nil, err
	}
	for k, v := range pr.values { // the parsed record is not used again
		if v == nil {
			delete(pr.values, k)
		}
	}
	r := s.store.newRecord(s.ids.record(), pr.values, now)
	op.journal.note(t, r.id, nil)
	s.store.put(t, r)
	return r, nil
}

func (s *Sim) updateLocked(op *writeOp, t *table, pr *parsedRecord, target *record, now time.Time) (*record, *apiError) {
	if err := checkMandatory(t.mod, pr, false); err != nil {
		return nil, err
	}
	if !op.ifUnmodified.IsZero() && target.modified.Truncate(time.Second).After(op.ifUnmodified) {
		return nil, s.syntheticError("ALREADY_MODIFIED", t.mod, t.mod.dupCheck, pr.index)
	}
	if err := s.checkLookups(pr); err != nil {
		return nil, err
	}
	if err := s.checkDuplicates(t, pr, target.id, t.mod.uniqueFields()); err != nil {
		return nil, err
	}
	op.journal.note(t, target.id, target)
	r := target.clone()
	for k, v := range pr.values {
		switch {
		case v == nil:
			delete(r.values, k)
		case pr.appendTo[k]:
			r.values[k] = appendValues(r.values[k], v)
		default:
			r.values[k] = v
		}
	}
	r.modified = now
	s.store.put(t, r)
	return r, nil
}

// appendValues implements $append_values for multi-select picklists.
func appendValues(old, add any) any {
	cur, _ := old.([]any)
	more, ok := add.([]any)
	if !ok {
		return add
	}
	out := append([]any(nil), cur...)
	for _, v := range more {
		if !containsAny(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func containsAny(list []any, v any) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

// checkMandatory reports a missing mandatory field: absent or null on
// insert, set to null on update.
func checkMandatory(mod *module, pr *parsedRecord, insert bool) *apiError {
	for _, f := range mod.fields {
		if !f.Mandatory {
			continue
		}
		v, present := pr.values[f.APIName]
		if (insert && !present) || (present && v == nil) {
			return errMandatoryKey(f.APIName, pr.path(f.APIName))
		}
	}
	return nil
}

// checkLookups requires every lookup to point at an existing record.
func (s *Sim) checkLookups(pr *parsedRecord) *apiError {
	for _, l := range pr.lookups {
		if t := s.store.tables[l.module]; t == nil || t.rows[l.id] == nil {
			e := errInvalidKey(l.field, pr.path(l.field)+".id", map[string]any{"expected_data_type": "lookup"})
			e.Message = "the id given seems to be invalid"
			return e
		}
	}
	return nil
}

// checkDuplicates reports DUPLICATE_DATA when a key field's value belongs to
// another record.
func (s *Sim) checkDuplicates(t *table, pr *parsedRecord, self string, keys []*fieldDef) *apiError {
	for _, f := range keys {
		ids := s.store.lookup(t, f.APIName, pr.values[f.APIName])
		others := make([]string, 0, len(ids))
		for _, id := range ids {
			if id != self {
				others = append(others, id)
			}
		}
		if len(others) > 0 {
			return s.duplicateError(t.mod, f.APIName, pr.path(f.APIName), others[0], len(others) > 1)
		}
	}
	return nil
}

// journal records the previous state of every record a composite touches,
// so a rollback can restore it. A nil journal records nothing.
type journal struct {
	steps []undoStep
}

type undoStep struct {
	t    *table
	id   string
	prev *record // nil: the record did not exist
}

func (j *journal) note(t *table, id string, prev *record) {
	if j != nil {
		j.steps = append(j.steps, undoStep{t: t, id: id, prev: prev})
	}
}

// rollback restores the noted records, newest change first.
func (s *Sim) rollback(j *journal) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for i := len(j.steps) - 1; i >= 0; i-- {
		st := j.steps[i]
		if st.prev == nil {
			s.store.remove(st.t, st.id)
		} else {
			s.store.put(st.t, st.prev)
		}
	}
	j.steps = nil
}
