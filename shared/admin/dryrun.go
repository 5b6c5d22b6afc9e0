package admin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/zohosync/zohosync/shared/core"
)

// DryRunAnswer is dry-run's answer: what the event maps to and the Zoho
// calls that would carry it. Nothing is sent or stored.
type DryRunAnswer struct {
	Source     string           `json:"source"`
	Org        string           `json:"org"`
	EventID    string           `json:"event_id,omitempty"`
	Operations []core.Operation `json:"operations"`
	Calls      []CallView       `json:"calls"`
	Rejected   []string         `json:"rejected,omitempty"`
	// MappingError is set when the event would be dead-lettered.
	MappingError string `json:"mapping_error,omitempty"`
}

// CallView is one planned Zoho call.
type CallView struct {
	Stage    int              `json:"stage"`
	Kind     string           `json:"kind"`
	Module   string           `json:"module,omitempty"`
	Action   string           `json:"action,omitempty"`
	Match    []string         `json:"duplicate_check_fields,omitempty"`
	Trigger  []string         `json:"trigger,omitempty"`
	Records  []map[string]any `json:"records"`
	Rollback bool             `json:"rollback_on_fail,omitempty"`
}

// EventIDer finds an event's id (see mapping.Mapper.EventID).
type EventIDer interface {
	EventID(source string, headers http.Header, body []byte, contentType string) (string, error)
}

func (h *Handler) dryRun(ctx context.Context, req Request) (any, error) {
	src := h.d.Config.Sources[req.Source]
	if src == nil {
		return nil, fmt.Errorf("%w: source %q is not in the config", ErrBadRequest, req.Source)
	}
	body, err := rawBody(req.Body)
	if err != nil {
		return nil, err
	}
	ct := req.ContentType
	if ct == "" {
		ct = "application/json"
	}
	hdr := http.Header{}
	for k, v := range req.Headers {
		hdr.Set(k, v)
	}
	env := &core.Envelope{V: core.EnvelopeVersion, Source: req.Source, Org: src.Org, EventID: "dry-run",
		ReceivedAt: h.d.Now(), ContentType: ct, Headers: map[string]string{}}
	for k := range hdr {
		env.Headers[strings.ToLower(k)] = hdr.Get(k)
	}
	env.SetBody(body)
	sum := sha256.Sum256(body)
	env.BodySHA256 = hex.EncodeToString(sum[:])
	ans := DryRunAnswer{Source: req.Source, Org: src.Org, Operations: []core.Operation{}, Calls: []CallView{}}
	if ider, ok := h.d.Mapper.(EventIDer); ok {
		if id, err := ider.EventID(req.Source, hdr, body, ct); err == nil {
			ans.EventID, env.EventID = id, id
		}
	}
	ops, err := h.d.Mapper.Map(env, body)
	if err != nil {
		ans.MappingError = err.Error()
		return ans, nil
	}
	ans.Operations = ops
	ptrs := make([]*core.Operation, len(ops))
	for i := range ops {
		op := ops[i]
		op.Sources = []core.Source{{MessageID: "dry-run", Op: op.ID, EventID: env.EventID, Source: req.Source}}
		ptrs[i] = &op
	}
	stages, rejected, err := h.d.Planner.Plan(src.Org, ptrs)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	for _, r := range rejected {
		ans.Rejected = append(ans.Rejected, r.Op.ID+": "+r.Err.Error())
	}
	for i, st := range stages {
		for _, c := range st {
			ans.Calls = append(ans.Calls, view(i+1, c))
		}
	}
	return ans, nil
}

// view describes a call with each record as Zoho would receive it; lookups
// filled from another call show as "<record id of op>".
func view(stage int, c *core.Call) CallView {
	v := CallView{Stage: stage}
	if c.Kind == core.Composite {
		v.Kind, v.Rollback = "composite", c.Rollback
		for _, s := range c.Subs {
			rec := record(s.Op)
			rec["$sub_request"] = s.ID
			rec["$module"], rec["$action"] = s.Op.Module, string(s.Op.Action)
			for field, sub := range s.Refs {
				rec[field] = map[string]any{"id": "@{" + sub + ":$.data[0].details.id}"}
			}
			v.Records = append(v.Records, rec)
		}
		return v
	}
	v.Kind, v.Module, v.Action, v.Match, v.Trigger = "batch", c.Module, string(c.Action), c.Match, c.Trigger
	for _, op := range c.Records {
		v.Records = append(v.Records, record(op))
	}
	return v
}

func record(op *core.Operation) map[string]any {
	rec := make(map[string]any, len(op.Fields)+1)
	for k, v := range op.Fields {
		rec[k] = v
	}
	if op.RecordID != "" {
		rec["id"] = op.RecordID
	}
	for _, ref := range op.Refs {
		if _, set := rec[ref.Field]; !set {
			rec[ref.Field] = map[string]any{"id": "<record id of " + ref.Op + ">"}
		}
	}
	return rec
}

// rawBody accepts the body as a JSON value (sent as is) or a JSON string
// (its text is the body, e.g. a form or exact bytes to keep).
func rawBody(b json.RawMessage) ([]byte, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: dry-run needs a body", ErrBadRequest)
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("%w: body: %v", ErrBadRequest, err)
		}
		return []byte(s), nil
	}
	return b, nil
}
