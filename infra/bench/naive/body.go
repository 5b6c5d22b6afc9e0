package naive

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/zohosync/zohosync/shared/core"
)

// apiVersion is the Zoho API version the naive sender calls.
const apiVersion = "v8"

// request is one Zoho call: method, path and JSON body.
type request struct {
	method, path string
	body         []byte
	units        int
	composite    bool
}

// callFor builds the one call for an event's operations.
func callFor(ops []core.Operation) (*request, error) {
	switch len(ops) {
	case 0:
		return nil, nil
	case 1:
		m, p, body := write(&ops[0], nil)
		b, err := json.Marshal(body)
		return &request{method: m, path: p, body: b, units: 1}, err
	}
	subs := make([]map[string]any, 0, len(ops))
	for i := range ops {
		m, p, body := write(&ops[i], ops[i].Refs)
		subs = append(subs, map[string]any{"sub_request_id": ops[i].ID, "method": m, "uri": p, "body": body})
	}
	b, err := json.Marshal(map[string]any{"rollback_on_fail": false, "parallel_execution": false,
		"__composite_requests": subs})
	return &request{method: http.MethodPost, path: "/crm/" + apiVersion + "/__composite_requests", body: b,
		units: 5, composite: true}, err
}

// write returns the method, path and body of a one-record write; refs are
// filled with composite placeholders.
func write(op *core.Operation, refs []core.Ref) (string, string, map[string]any) {
	fields := make(map[string]any, len(op.Fields)+len(refs))
	for k, v := range op.Fields {
		fields[k] = v
	}
	for _, r := range refs {
		fields[r.Field] = map[string]any{"id": fmt.Sprintf("@{%s:$.data[0].details.id}", r.Op)}
	}
	body := map[string]any{"data": []any{fields}}
	if op.Trigger != nil {
		body["trigger"] = op.Trigger
	}
	base := "/crm/" + apiVersion + "/" + url.PathEscape(op.Module)
	switch op.Action {
	case core.Upsert:
		if len(op.Match) > 0 {
			body["duplicate_check_fields"] = op.Match
		}
		return http.MethodPost, base + "/upsert", body
	case core.Update:
		return http.MethodPut, base + "/" + url.PathEscape(op.RecordID), body
	}
	return http.MethodPost, base, body
}
