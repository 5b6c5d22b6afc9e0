package zoho

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/zohosync/zohosync/shared/core"
)

// subResponse is one element of __composite_requests in an answer.
type subResponse struct {
	Code    string          `json:"code"`
	Status  string          `json:"status"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details"`
}

// innerResponse is details.response of an executed sub-request.
type innerResponse struct {
	Response *struct {
		StatusCode int             `json:"status_code"`
		Headers    map[string]any  `json:"headers"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
}

// decodeComposite maps each sub-response to its operation, then lets subs
// that failed because the sub they refer to failed share its outcome.
func decodeComposite(call *core.Call, r *request, status int, t *topBody, rep *core.CallReport) error {
	if t.Composite == nil {
		return t.requestError(status, "__composite_requests")
	}
	subs := *t.Composite
	if len(subs) != len(r.sent) {
		return &ResponseError{Status: status, Reason: fmt.Sprintf("%d sub-responses for %d sub-requests", len(subs), len(r.sent))}
	}
	inner := -1
	for j, raw := range subs {
		i := r.sent[j]
		res, credits, err := subResult(raw, j, status, r.ops[i])
		if err != nil {
			return err
		}
		rep.Results[i] = res
		if credits >= 0 && (inner < 0 || credits < inner) {
			inner = credits
		}
	}
	if rep.CreditsRemaining < 0 {
		rep.CreditsRemaining = inner
	}
	blameReferences(call, rep.Results)
	return nil
}

// subResult maps one sub-response; it also returns the credits the inner
// headers report (-1 when none).
func subResult(raw json.RawMessage, j, status int, op *core.Operation) (core.Result, int, error) {
	var s subResponse
	if err := json.Unmarshal(raw, &s); err != nil {
		return core.Result{}, -1, &ResponseError{Status: status, Reason: fmt.Sprintf("sub-response %d unreadable", j), Err: err}
	}
	var in innerResponse
	_ = json.Unmarshal(s.Details, &in) // failed subs carry other details
	if s.Code != "SUCCESS" || in.Response == nil {
		if s.Code == "" {
			return core.Result{}, -1, &ResponseError{Status: status, Reason: fmt.Sprintf("sub-response %d has no code", j)}
		}
		return core.Result{Op: op, Outcome: outcomeFor(s.Code, status),
			Problem: &core.Problem{Code: s.Code, Message: s.Message, Details: copyRaw(s.Details), Status: status}}, -1, nil
	}
	resp := in.Response
	credits := headerCredits(resp.Headers)
	t, err := parseTop(resp.StatusCode, resp.Body)
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr):
		return core.Result{Op: op, Outcome: outcomeFor("", resp.StatusCode), Problem: apiErr.Problem()}, credits, nil
	case err != nil:
		return core.Result{}, -1, fmt.Errorf("sub-response %d: %w", j, err)
	}
	if t.Data == nil {
		if t.Code == "" {
			return core.Result{}, -1, &ResponseError{Status: status, Reason: fmt.Sprintf("sub-response %d has neither data nor an error", j)}
		}
		return core.Result{Op: op, Outcome: outcomeFor(t.Code, resp.StatusCode),
			Problem: &core.Problem{Code: t.Code, Message: t.Message, Details: copyRaw(t.Details), Status: resp.StatusCode}}, credits, nil
	}
	if len(*t.Data) != 1 {
		return core.Result{}, -1, &ResponseError{Status: status, Reason: fmt.Sprintf("sub-response %d has %d results for 1 record", j, len(*t.Data))}
	}
	res, err := recordResult((*t.Data)[0], 0, resp.StatusCode, op)
	return res, credits, err
}

// headerCredits reads X-API-CREDITS-REMAINING from a sub-response's headers
// (any case), -1 when absent.
func headerCredits(h map[string]any) int {
	for k, v := range h {
		if !strings.EqualFold(k, "X-API-CREDITS-REMAINING") {
			continue
		}
		switch x := v.(type) {
		case string:
			return parseCredits(x)
		case float64:
			if x >= 0 {
				return int(x)
			}
		}
	}
	return -1
}

// blameReferences lets a sub that failed with INVALID_REFERENCE or
// PROCESSING_STOPPED because a sub it refers to failed take that sub's
// outcome class: Dead if it died, Retry if it may be retried. Subs refer
// only to earlier subs, so one pass in order settles chains.
func blameReferences(call *core.Call, results []core.Result) {
	index := make(map[string]int, len(call.Subs))
	for i, s := range call.Subs {
		index[s.ID] = i
	}
	for i, s := range call.Subs {
		p := results[i].Problem
		if results[i].Outcome == core.Done || p == nil || (p.Code != "INVALID_REFERENCE" && p.Code != "PROCESSING_STOPPED") {
			continue
		}
		for _, f := range sortedFields(s.Refs) {
			ref := results[index[s.Refs[f]]]
			if ref.Outcome == core.Done || ref.Problem == nil {
				continue
			}
			results[i].Outcome = ref.Outcome
			results[i].Problem = &core.Problem{Code: p.Code, Details: p.Details, Status: p.Status,
				Message: fmt.Sprintf("not executed: field %s refers to sub-request %q, which failed with %s",
					f, s.Refs[f], ref.Problem.Code)}
			if ref.Outcome == core.Dead {
				break
			}
		}
	}
}
