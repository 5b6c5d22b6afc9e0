package zoho

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"github.com/zohosync/zohosync/shared/core"
)

// Zoho's per-call limits, checked before sending.
const (
	maxRecords = 100
	maxSubs    = 5
)

var (
	subIDPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_]*$`)
	// modulePattern is the shape of a module API name (Leads, Price_Books,
	// custom modules such as Invoices_X); anything else would need escaping
	// in a URL and is no module Zoho knows.
	modulePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)

// request is an encoded call.
type request struct {
	method, path string
	body         []byte
	ops          []*core.Operation // call.Operations()
	sent         []int             // indexes into ops, in request order
	failed       map[int]*core.Problem
}

// check rejects calls Zoho would refuse whole: wrong sizes, bad ids,
// references to later or unknown sub-requests.
func (c *Client) check(call *core.Call) error {
	if call == nil {
		return fmt.Errorf("zoho: nil call: %w", ErrInvalidCall)
	}
	switch call.Kind {
	case core.Batch:
		if n := len(call.Records); n == 0 || n > maxRecords {
			return fmt.Errorf("zoho: batch of %d records (1 to %d): %w", n, maxRecords, ErrInvalidCall)
		}
		if !modulePattern.MatchString(call.Module) || !call.Action.Valid() {
			return fmt.Errorf("zoho: batch of module %q with action %q: %w", call.Module, call.Action, ErrInvalidCall)
		}
		for _, op := range call.Records {
			if op == nil {
				return fmt.Errorf("zoho: nil record: %w", ErrInvalidCall)
			}
		}
		return nil
	case core.Composite:
		return c.checkComposite(call)
	}
	return fmt.Errorf("zoho: unknown call kind %d: %w", call.Kind, ErrInvalidCall)
}

func (c *Client) checkComposite(call *core.Call) error {
	if n := len(call.Subs); n == 0 || n > maxSubs {
		return fmt.Errorf("zoho: composite of %d sub-requests (1 to %d): %w", n, maxSubs, ErrInvalidCall)
	}
	if major, _ := strconv.Atoi(c.version[1:]); major < 3 {
		return fmt.Errorf("zoho: composite requests need API v3 or later, not %s: %w", c.version, ErrInvalidCall)
	}
	seen := map[string]bool{}
	for _, s := range call.Subs {
		if !subIDPattern.MatchString(s.ID) || seen[s.ID] {
			return fmt.Errorf("zoho: bad or repeated sub_request_id %q: %w", s.ID, ErrInvalidCall)
		}
		if s.Op == nil || !modulePattern.MatchString(s.Op.Module) || !s.Op.Action.Valid() {
			return fmt.Errorf("zoho: sub-request %q has no valid operation: %w", s.ID, ErrInvalidCall)
		}
		for f, target := range s.Refs {
			if !seen[target] {
				return fmt.Errorf("zoho: sub-request %q field %s refers to %q, not an earlier sub-request: %w", s.ID, f, target, ErrInvalidCall)
			}
		}
		seen[s.ID] = true
	}
	return nil
}

// encode builds the request body. Operations that cannot be encoded are
// left out and answered Dead.
func (c *Client) encode(call *core.Call) (*request, error) {
	r := &request{ops: call.Operations(), failed: map[int]*core.Problem{}}
	var buf bytes.Buffer
	if call.Kind == core.Batch {
		r.method, r.path = methodPath(c.version, call.Module, call.Action)
		buf.WriteString(`{"data":[`)
		for i, op := range call.Records {
			rec, p := encodeRecord(op, nil)
			if p != nil {
				r.failed[i] = p
				continue
			}
			if len(r.sent) > 0 {
				buf.WriteByte(',')
			}
			buf.Write(rec)
			r.sent = append(r.sent, i)
		}
		buf.WriteByte(']')
		writeOptions(&buf, call.Action, call.Match, call.Trigger)
		buf.WriteByte('}')
	} else {
		r.method, r.path = "POST", "/crm/"+c.version+"/__composite_requests"
		c.encodeComposite(&buf, call, r)
	}
	r.body = buf.Bytes()
	return r, nil
}

// encodeComposite writes the composite body. A sub whose operation cannot
// be encoded, or that refers to such a sub, is left out.
func (c *Client) encodeComposite(buf *bytes.Buffer, call *core.Call, r *request) {
	fmt.Fprintf(buf, `{"rollback_on_fail":%t,"parallel_execution":false,"__composite_requests":[`, call.Rollback)
	out := map[string]string{} // sub id -> why it is not sent
	for i, s := range call.Subs {
		var p *core.Problem
		for _, f := range sortedFields(s.Refs) {
			if why, gone := out[s.Refs[f]]; gone {
				p = &core.Problem{Code: "DEPENDENCY_NOT_SENT", Message: fmt.Sprintf(
					"field %s refers to sub-request %q, which was not sent (%s)", f, s.Refs[f], why)}
				break
			}
		}
		var rec []byte
		if p == nil {
			rec, p = encodeRecord(s.Op, s.Refs)
		}
		if p != nil {
			r.failed[i], out[s.ID] = p, p.Code
			continue
		}
		if len(r.sent) > 0 {
			buf.WriteByte(',')
		}
		method, path := methodPath(c.version, s.Op.Module, s.Op.Action)
		fmt.Fprintf(buf, `{"sub_request_id":%s,"method":%s,"uri":%s,"body":{"data":[`,
			quote(s.ID), quote(method), quote(path))
		buf.Write(rec)
		buf.WriteByte(']')
		writeOptions(buf, s.Op.Action, s.Op.Match, s.Op.Trigger)
		buf.WriteString("}}")
		r.sent = append(r.sent, i)
	}
	buf.WriteString("]}")
}

// methodPath is the method and path of a write of module.
func methodPath(version, module string, a core.Action) (string, string) {
	p := "/crm/" + version + "/" + module
	switch a {
	case core.Update:
		return "PUT", p
	case core.Upsert:
		return "POST", p + "/upsert"
	}
	return "POST", p
}

// writeOptions appends the body keys beside data: duplicate_check_fields
// (upserts that name them) and trigger (only when non-nil; [] means none).
func writeOptions(buf *bytes.Buffer, a core.Action, match, trigger []string) {
	if a == core.Upsert && len(match) > 0 {
		buf.WriteString(`,"duplicate_check_fields":`)
		buf.Write(mustJSON(match))
	}
	if trigger != nil {
		buf.WriteString(`,"trigger":`)
		buf.Write(mustJSON(trigger))
	}
}

// encodeRecord encodes one record: the operation's fields, lookups of
// composite references as {"id":"@{sub:$.data[0].details.id}"}, and the
// record id of an update. Every Ref must be filled by now, either in Fields
// (by the caller, from an earlier stage) or by a composite reference.
func encodeRecord(op *core.Operation, subRefs map[string]string) ([]byte, *core.Problem) {
	rec := make(map[string]any, len(op.Fields)+len(subRefs)+1)
	for f, v := range op.Fields {
		rec[f] = v
	}
	for f, sub := range subRefs {
		rec[f] = map[string]string{"id": "@{" + sub + ":$.data[0].details.id}"}
	}
	for _, ref := range op.Refs {
		if _, ok := rec[ref.Field]; !ok {
			return nil, &core.Problem{Code: "UNRESOLVED_REFERENCE",
				Message: fmt.Sprintf("lookup field %s still waits for the record id of operation %q", ref.Field, ref.Op)}
		}
	}
	if op.Action == core.Update {
		if op.RecordID == "" {
			return nil, &core.Problem{Code: "MISSING_RECORD_ID", Message: "an update needs the record id"}
		}
		rec["id"] = op.RecordID
	}
	b, err := marshal(rec)
	if err != nil {
		return nil, &core.Problem{Code: "UNENCODABLE_FIELD",
			Message: fmt.Sprintf("field %s: value cannot be encoded as JSON", badField(rec))}
	}
	return b, nil
}

// badField names the first field (sorted) whose value does not encode.
func badField(rec map[string]any) string {
	for _, f := range sortedFields(rec) {
		if _, err := marshal(rec[f]); err != nil {
			return f
		}
	}
	return "?"
}

// marshal encodes v as compact JSON without HTML escaping.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// mustJSON encodes strings and string slices, which always encode.
func mustJSON(v any) []byte {
	b, _ := marshal(v)
	return b
}

func quote(s string) string { return string(mustJSON(s)) }

func sortedFields[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
