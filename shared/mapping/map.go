package mapping

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/mapping/expr"
)

// Map returns the operations one event produces, in route and op order,
// each with ID, Org, Route, Module, Action, Match, Trigger, Fields, RecordID
// and Refs set (Sources are the sync side's). Zero operations and a nil
// error mean that no route matched or an ignore route did. A problem with
// this event is an *Error; the event must then be dead-lettered.
func (m *Mapper) Map(env *core.Envelope, body []byte) ([]core.Operation, error) {
	if env == nil {
		return nil, &Error{Code: CodeBadBody, Reason: "no envelope"}
	}
	src, ok := m.sources[env.Source]
	if !ok {
		return nil, &Error{Code: CodeUnknownSource, Source: env.Source, Reason: "the config has no source " + quote(env.Source)}
	}
	data, err := decodeBody(body, env.ContentType)
	if err != nil {
		return nil, &Error{Code: CodeBadBody, Source: src.name, Reason: err.Error()}
	}
	ev := &event{src: src, data: data, vars: envelopeVars(env, src)}
	routes, err := ev.matching()
	if err != nil || len(routes) == 0 {
		return nil, err
	}
	var ops []core.Operation
	for _, r := range routes {
		rops, err := ev.routeOps(r)
		if err != nil {
			return nil, err
		}
		ops = append(ops, rops...)
	}
	return ops, nil
}

// event is one event being mapped.
type event struct {
	src  *source
	data any
	vars map[string]any
}

// envelopeVars binds the variables every expression may use.
func envelopeVars(env *core.Envelope, src *source) map[string]any {
	headers := make(map[string]any, len(env.Headers))
	for k, v := range env.Headers {
		headers[strings.ToLower(k)] = v
	}
	vars := map[string]any{"headers": headers, "source": src.name, "org": src.org, "event_id": nil, "received_at": nil}
	if env.EventID != "" {
		vars["event_id"] = env.EventID
	}
	if !env.ReceivedAt.IsZero() {
		vars["received_at"] = env.ReceivedAt.UTC().Format(time.RFC3339Nano)
	}
	return vars
}

func (ev *event) fail(code string, r *route, o *op, field, reason string) *Error {
	e := &Error{Code: code, Source: ev.src.name, Field: field, Reason: reason}
	if r != nil {
		e.Route = r.name
	}
	if o != nil {
		e.Op = o.id
	}
	return e
}

// test evaluates a when condition; a nil one is true.
func (ev *event) test(ex *expr.Expr, r *route, o *op) (bool, error) {
	if ex == nil {
		return true, nil
	}
	v, err := ex.Eval(ev.data, ev.vars)
	if err != nil {
		return false, ev.fail(CodeExpression, r, o, "when", err.Error())
	}
	return expr.Truthy(v), nil
}

// matching returns the routes whose when holds, or none when an ignore
// route matches.
func (ev *event) matching() ([]*route, error) {
	var out []*route
	for _, r := range ev.src.routes {
		ok, err := ev.test(r.when, r, nil)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if r.ignore {
			return nil, nil
		}
		out = append(out, r)
	}
	return out, nil
}

// routeOps maps one matched route.
func (ev *event) routeOps(r *route) ([]core.Operation, error) {
	done := map[string]bool{}
	var out []core.Operation
	for _, o := range r.ops {
		ok, err := ev.test(o.when, r, o)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		op, err := ev.operation(r, o, done)
		if err != nil {
			return nil, err
		}
		done[o.id] = true
		out = append(out, op)
	}
	return out, nil
}

// operation maps one op.
func (ev *event) operation(r *route, o *op, done map[string]bool) (core.Operation, error) {
	op := core.Operation{ID: o.id, Org: ev.src.org, Route: r.name, Module: o.module, Action: o.action,
		Fields: make(map[string]any, len(o.fields))}
	if o.trigger != nil {
		op.Trigger = append([]string{}, *o.trigger...)
	}
	for _, f := range o.fields {
		if err := ev.setField(r, o, f, op.Fields); err != nil {
			return op, err
		}
	}
	for _, ref := range o.refs {
		if done[ref.Op] {
			op.Refs = append(op.Refs, ref)
		}
	}
	if o.action == core.Upsert {
		if err := ev.setMatch(r, o, &op); err != nil {
			return op, err
		}
	}
	if o.recordID != nil {
		id, err := ev.recordID(r, o)
		if err != nil {
			return op, err
		}
		op.RecordID = id
	}
	return op, nil
}

// setField evaluates one field and applies its empty-value policy.
func (ev *event) setField(r *route, o *op, f field, out map[string]any) error {
	v, err := f.ex.Eval(ev.data, ev.vars)
	if err != nil {
		return ev.fail(CodeExpression, r, o, f.name, err.Error())
	}
	if !jsonValue(v) {
		return ev.fail(CodeExpression, r, o, f.name, "the expression gives an expression reference, not a value")
	}
	if !expr.Empty(v) {
		out[f.name] = v
		return nil
	}
	switch f.ifEmpty {
	case config.IfEmptyNull:
		out[f.name] = nil
	case config.IfEmptyFail:
		return ev.fail(CodeEmptyField, r, o, f.name, "the field is required (if_empty: fail) but the event has no value for it")
	}
	return nil
}

// setMatch keeps the match fields that have a value.
func (ev *event) setMatch(r *route, o *op, out *core.Operation) error {
	for _, name := range o.match {
		if v, ok := out.Fields[name]; ok && v != nil {
			out.Match = append(out.Match, name)
		}
	}
	if len(out.Match) == 0 {
		return ev.fail(CodeNoMatchKey, r, o, "", "no usable match key: "+strings.Join(o.match, ", ")+" all empty, so an upsert could not find the record and might duplicate it")
	}
	return nil
}

var recordIDRE = regexp.MustCompile(`^[0-9]{1,40}$`)

func (ev *event) recordID(r *route, o *op) (string, error) {
	v, err := o.recordID.Eval(ev.data, ev.vars)
	if err != nil {
		return "", ev.fail(CodeExpression, r, o, "record_id", err.Error())
	}
	var id string
	switch x := v.(type) {
	case string:
		id = strings.TrimSpace(x)
	case json.Number:
		id = string(x)
	}
	if !recordIDRE.MatchString(id) {
		return "", ev.fail(CodeNoRecordID, r, o, "record_id", fmt.Sprintf("an update needs a Zoho record id made of digits; the event gives %s", describe(v)))
	}
	return id, nil
}

// describe names a value for an error without echoing long content.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		if len(x) > 40 {
			return "a " + fmt.Sprint(len(x)) + "-byte string"
		}
		return quote(x)
	case json.Number:
		return string(x)
	}
	return "a " + fmt.Sprintf("%T", v)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// jsonValue reports whether v holds only JSON values.
func jsonValue(v any) bool {
	switch x := v.(type) {
	case nil, bool, string, json.Number:
		return true
	case []any:
		for _, e := range x {
			if !jsonValue(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !jsonValue(e) {
				return false
			}
		}
		return true
	}
	return false
}
