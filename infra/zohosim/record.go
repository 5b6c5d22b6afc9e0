package zohosim

import (
	"encoding/json"
	"strconv"
	"time"
)

// parsedRecord is one record of a write after field validation, before it
// touches the store.
type parsedRecord struct {
	index    int
	values   map[string]any // schema fields present in the request; nil clears
	appendTo map[string]bool
	lookups  []lookupRef
	id       string // "id" key, for update
	err      *apiError
}

type lookupRef struct {
	field, module, id string
}

func (pr *parsedRecord) path(field string) string {
	return "$.data[" + strconv.Itoa(pr.index) + "]." + field
}

// sampleField names a field for injected errors: the first field the record
// carries, else the module's duplicate-check field.
func (pr *parsedRecord) sampleField(mod *module) string {
	for _, f := range mod.fields {
		if _, ok := pr.values[f.APIName]; ok {
			return f.APIName
		}
	}
	return mod.dupCheck
}

// parseRecord validates one item of data[] field by field, in schema order.
// Unknown keys are ignored, as Zoho ignores unknown field names.
func (s *Sim) parseRecord(op *writeOp, i int, item any) *parsedRecord {
	raw, ok := item.(map[string]any)
	pr := &parsedRecord{index: i, values: make(map[string]any, len(raw))}
	if !ok {
		pr.err = errInvalidKey("data", "$.data["+strconv.Itoa(i)+"]", map[string]any{"expected_data_type": "jsonobject"})
		return pr
	}
	pr.id = idString(raw["id"])
	if op.pathID != "" {
		pr.id = op.pathID
	}
	pr.appendTo = appendFlags(raw["$append_values"])
	for _, f := range op.mod.fields {
		v, present := raw[f.APIName]
		if !present {
			continue
		}
		val, fault := checkValue(f, op.mod.picks[f.APIName], v)
		if fault != nil {
			pr.err = errInvalidKey(f.APIName, pr.path(f.APIName)+fault.path, map[string]any{fault.key: fault.value})
			return pr
		}
		pr.values[f.APIName] = val
		if f.DataType == "lookup" && val != nil {
			pr.lookups = append(pr.lookups, lookupRef{f.APIName, f.LookupModule, val.(map[string]any)["id"].(string)})
		}
	}
	return pr
}

func idString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	}
	return ""
}

func appendFlags(v any) map[string]bool {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := map[string]bool{}
	for k, b := range m {
		if on, _ := b.(bool); on {
			out[k] = true
		}
	}
	return out
}

// applyRecord writes one parsed record (store lock held) and returns its
// data[] item.
func (s *Sim) applyRecord(op *writeOp, pr *parsedRecord, dcf []string, now time.Time) any {
	if pr.err == nil {
		q := faultQuery{op.kind, op.mod.name, op.dc}
		if f, ok := s.faults.fire(q, []string{FaultRecordError}, now, s.rng); ok {
			code := f.Code
			if code == "" {
				code = "RECORD_LOCKED"
			}
			pr.err = s.syntheticError(code, op.mod, pr.sampleField(op.mod), pr.index)
		}
	}
	if pr.err != nil {
		return errorResult(pr.err)
	}
	t := s.store.tables[op.mod.name]
	switch op.kind {
	case "insert":
		r, err := s.insertLocked(op, t, pr, now, s.insertKeyFields(t.mod))
		return s.result(r, err, "record added")
	case "update":
		return s.updateByID(op, t, pr, now)
	}
	return s.upsertLocked(op, t, pr, dcf, now)
}

func (s *Sim) result(r *record, err *apiError, message string) recordResult {
	if err != nil {
		return errorResult(err)
	}
	return successResult(message, s.details(r))
}

func (s *Sim) details(r *record) successDetails {
	return successDetails{ID: r.id, CreatedTime: s.formatTime(r.created), ModifiedTime: s.formatTime(r.modified),
		CreatedBy: s.user, ModifiedBy: s.user}
}

func (s *Sim) updateByID(op *writeOp, t *table, pr *parsedRecord, now time.Time) recordResult {
	if pr.id == "" {
		return errorResult(errMandatoryKey("id", pr.path("id")))
	}
	target := t.rows[pr.id]
	if target == nil {
		e := errInvalidKey("id", pr.path("id"), nil)
		e.Message = "the id given seems to be invalid"
		return errorResult(e)
	}
	r, err := s.updateLocked(op, t, pr, target, now)
	return s.result(r, err, "record updated")
}

// upsertLocked matches the record by the upsert rules and updates the match
// or inserts a new record.
func (s *Sim) upsertLocked(op *writeOp, t *table, pr *parsedRecord, dcf []string, now time.Time) any {
	target, field := s.matchLocked(t, pr, dcf)
	if target == nil {
		r, err := s.insertLocked(op, t, pr, now, t.mod.uniqueFields())
		if err != nil {
			return errorResult(err)
		}
		return upsertResult{recordResult: successResult("record added", s.details(r)), Action: "insert"}
	}
	r, err := s.updateLocked(op, t, pr, target, now)
	if err != nil {
		return errorResult(err)
	}
	return upsertResult{recordResult: successResult("record updated", s.details(r)), Action: "update", DuplicateField: &field}
}

// matchOrder is the upsert match order (docs/ZOHO.md §8): without
// duplicate_check_fields the system field, then unique fields; with it, the
// listed fields, then the unique fields not listed (the system field only if
// listed).
func matchOrder(mod *module, dcf []string) []string {
	order := dcf
	if dcf == nil {
		order = []string{mod.dupCheck}
	}
	order = append([]string(nil), order...)
	for _, f := range mod.uniqueFields() {
		if !containsString(order, f.APIName) {
			order = append(order, f.APIName)
		}
	}
	return order
}

func (s *Sim) matchLocked(t *table, pr *parsedRecord, dcf []string) (*record, string) {
	order := t.mod.matchDef
	if dcf != nil {
		order = matchOrder(t.mod, dcf)
	}
	for _, field := range order {
		if ids := s.store.lookup(t, field, pr.values[field]); len(ids) > 0 {
			return t.rows[ids[0]], field
		}
	}
	return nil, ""
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
