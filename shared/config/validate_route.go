package config

import (
	"regexp"
	"slices"
)

var (
	routeNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$`)
	opIDRE      = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,49}$`)
	moduleRE    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,99}$`)
	apiNameRE   = regexp.MustCompile(`^[A-Za-z$][A-Za-z0-9_]{0,99}$`)
)

func (v *validator) routes(path string, s *Source) {
	rp := keyPath(path, "routes")
	if len(s.Routes) == 0 {
		v.fail(rp, "at least one route is required (a route with ignore: true drops events explicitly)")
	}
	names := map[string]bool{}
	opIDs := map[string]string{}
	for i, r := range s.Routes {
		p := indexPath(rp, i)
		if r == nil {
			v.fail(p, "route is empty")
			continue
		}
		switch {
		case r.Name == "":
			v.fail(keyPath(p, "name"), "name is required")
		case !routeNameRE.MatchString(r.Name):
			v.fail(keyPath(p, "name"), "%q: use letters, digits, and . _ : -", r.Name)
		case names[r.Name]:
			v.fail(keyPath(p, "name"), "route %q is defined twice in this source", r.Name)
		}
		names[r.Name] = true
		v.route(p, r, opIDs)
	}
}

// route checks one route; opIDs holds the op ids seen in earlier routes of
// the source (op ids are unique per source).
func (v *validator) route(path string, r *Route, opIDs map[string]string) {
	if r.When != "" {
		v.expr(keyPath(path, "when"), r.When)
	}
	if r.Ignore {
		if len(r.Ops) > 0 {
			v.fail(keyPath(path, "ops"), "an ignore route has no ops")
		}
		return
	}
	if len(r.Ops) == 0 {
		v.fail(keyPath(path, "ops"), "a route needs ops (write ignore: true to drop the events it matches)")
	}
	earlier := map[string]bool{}
	chained := false
	for i, op := range r.Ops {
		p := indexPath(keyPath(path, "ops"), i)
		if op == nil {
			v.fail(p, "op is empty")
			continue
		}
		v.opID(p, op.ID, r.Name, opIDs)
		chained = v.op(p, op, earlier) || chained
		earlier[op.ID] = true
	}
	if chained && len(r.Ops) > MaxChain {
		v.fail(keyPath(path, "ops"), "%d ops linked by refs: a chain has at most %d (Zoho's composite request limit)", len(r.Ops), MaxChain)
	}
}

func (v *validator) opID(path, id, route string, seen map[string]string) {
	ip := keyPath(path, "id")
	switch {
	case id == "":
		v.fail(ip, "id is required")
	case !opIDRE.MatchString(id):
		v.fail(ip, "%q: start with a letter; use letters, digits and _ (at most 50)", id)
	case seen[id] != "":
		v.fail(ip, "op id %q is already used by route %q: op ids are unique within a source", id, seen[id])
	default:
		seen[id] = route
	}
}

// op checks one op and reports whether it refers to an earlier op.
func (v *validator) op(path string, op *Op, earlier map[string]bool) bool {
	v.module(path, op)
	v.action(path, op)
	v.trigger(path, op.Trigger)
	if op.When != "" {
		v.expr(keyPath(path, "when"), op.When)
	}
	chained := v.fields(path, op, earlier)
	v.match(path, op)
	v.mandatory(path, op)
	return chained
}

func (v *validator) module(path string, op *Op) {
	mp := keyPath(path, "module")
	switch {
	case op.Module == "":
		v.fail(mp, "module is required")
	case !moduleRE.MatchString(op.Module):
		v.fail(mp, "%q is not a module API name", op.Module)
	}
}

func (v *validator) action(path string, op *Op) {
	ap := keyPath(path, "action")
	switch op.Action {
	case "insert", "upsert":
		if op.RecordID != "" {
			v.fail(keyPath(path, "record_id"), "record_id is for update; %s finds or creates the record itself", op.Action)
		}
		if op.Action == "upsert" && insertOnlyModules[op.Module] {
			v.fail(ap, "Zoho cannot upsert %s; use insert", op.Module)
		}
	case "update":
		if op.RecordID == "" {
			v.fail(keyPath(path, "record_id"), "update needs record_id, an expression giving the Zoho record id")
		} else {
			v.expr(keyPath(path, "record_id"), op.RecordID)
		}
	case "":
		v.fail(ap, "action is required (insert, update or upsert)")
	default:
		v.fail(ap, "%q is not insert, update or upsert", op.Action)
	}
}

func (v *validator) trigger(path string, t *[]string) {
	if t == nil {
		return
	}
	seen := map[string]bool{}
	for i, name := range *t {
		p := indexPath(keyPath(path, "trigger"), i)
		switch {
		case !slices.Contains(Triggers, name):
			v.fail(p, "%q is not workflow, approval, blueprint, pathfinder or orchestration", name)
		case seen[name]:
			v.fail(p, "%q is listed twice", name)
		}
		seen[name] = true
	}
}
