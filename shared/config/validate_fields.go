package config

import "slices"

// fields checks an op's fields and reports whether any refers to an
// earlier op.
func (v *validator) fields(path string, op *Op, earlier map[string]bool) bool {
	fp := keyPath(path, "fields")
	if len(op.Fields) == 0 && op.Action != "update" {
		v.fail(fp, "an %s needs fields", op.Action)
	}
	chained := false
	for _, name := range sortedKeys(op.Fields) {
		p := keyPath(fp, name)
		if !apiNameRE.MatchString(name) {
			v.fail(p, "%q is not a field API name", name)
		}
		f := op.Fields[name]
		switch {
		case f.Expr != "" && f.Ref != "":
			v.fail(p, "set expr or ref, not both")
		case f.Ref != "":
			chained = true
			v.ref(p, f, op.ID, earlier)
		case f.Expr != "":
			v.expr(keyPath(p, "expr"), f.Expr)
		default:
			v.fail(p, "a field needs expr or ref")
		}
		if f.IfEmpty != "" && !slices.Contains([]string{IfEmptyOmit, IfEmptyNull, IfEmptyFail}, f.IfEmpty) {
			v.fail(keyPath(p, "if_empty"), "%q is not omit, null or fail", f.IfEmpty)
		}
	}
	return chained
}

func (v *validator) ref(path string, f Field, self string, earlier map[string]bool) {
	rp := keyPath(path, "ref")
	switch {
	case f.Ref == self:
		v.fail(rp, "op %q cannot refer to itself", self)
	case !earlier[f.Ref]:
		v.fail(rp, "%q is not an earlier op of this route (refs point backwards)", f.Ref)
	}
	if f.IfEmpty != "" {
		v.fail(keyPath(path, "if_empty"), "a ref field is set by the sync side; if_empty does not apply")
	}
}

func (v *validator) match(path string, op *Op) {
	mp := keyPath(path, "match")
	if op.Action != "upsert" {
		if len(op.Match) > 0 {
			v.fail(mp, "match is for upsert only")
		}
		return
	}
	if len(op.Match) == 0 {
		v.fail(mp, "an upsert needs match fields (duplicate_check_fields), e.g. [Email] or a unique external-id field")
	}
	seen := map[string]bool{}
	for i, name := range op.Match {
		p := indexPath(mp, i)
		f, ok := op.Fields[name]
		switch {
		case seen[name]:
			v.fail(p, "%q is listed twice", name)
		case !ok:
			v.fail(p, "match field %q is not among the op's fields, so it would never be sent", name)
		case f.Ref != "":
			v.fail(p, "match field %q is a ref; match on a value the event carries", name)
		}
		seen[name] = true
	}
}

// mandatory checks that an op that may create a record writes the
// module's system-mandatory fields.
func (v *validator) mandatory(path string, op *Op) {
	if op.Action != "insert" && op.Action != "upsert" {
		return
	}
	for _, name := range mandatoryFields[op.Module] {
		if _, ok := op.Fields[name]; !ok {
			v.fail(keyPath(path, "fields"), "%s needs %s when it may create a record (%s)", op.Module, name, op.Action)
		}
	}
}
