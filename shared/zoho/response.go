package zoho

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/zohosync/zohosync/shared/core"
)

// topBody is the top level of any Zoho answer: per-record data, composite
// sub-responses, or one request-level error.
type topBody struct {
	Data      *[]json.RawMessage `json:"data"`
	Composite *[]json.RawMessage `json:"__composite_requests"`
	Code      string             `json:"code"`
	Message   string             `json:"message"`
	Details   json.RawMessage    `json:"details"`
}

// item is one element of data[]: a record's result.
type item struct {
	Code    string          `json:"code"`
	Status  string          `json:"status"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details"`
	Action  string          `json:"action"`
}

// itemDetails are the keys of an item's details the client reads.
type itemDetails struct {
	ID       json.RawMessage `json:"id"`
	JSONPath string          `json:"json_path"`
}

func success(status int) bool { return status >= 200 && status < 300 }

// parseTop decodes the top level. A body that is empty or not JSON is a
// ResponseError after a 2xx and an APIError (by status) otherwise.
func parseTop(status int, body []byte) (*topBody, error) {
	var t topBody
	if len(body) == 0 {
		if success(status) {
			return nil, &ResponseError{Status: status, Reason: "no content"}
		}
		return nil, &APIError{Status: status}
	}
	if err := json.Unmarshal(body, &t); err != nil {
		if success(status) {
			return nil, &ResponseError{Status: status, Reason: "malformed body", Err: err}
		}
		return nil, &APIError{Status: status, Message: "response body is not Zoho JSON"}
	}
	return &t, nil
}

// requestError turns a top level without results into an error.
func (t *topBody) requestError(status int, want string) error {
	if t.Code != "" {
		return &APIError{Status: status, Code: t.Code, Message: t.Message, Details: copyRaw(t.Details)}
	}
	if success(status) {
		return &ResponseError{Status: status, Reason: "no " + want + " in answer"}
	}
	return &APIError{Status: status, Message: http.StatusText(status)}
}

func (c *Client) decode(call *core.Call, r *request, status int, body []byte, rep *core.CallReport) error {
	t, err := parseTop(status, body)
	if err != nil {
		return err
	}
	if call.Kind == core.Composite {
		return decodeComposite(call, r, status, t, rep)
	}
	if t.Data == nil {
		return t.requestError(status, "data")
	}
	items := *t.Data
	if len(items) != len(r.sent) {
		return &ResponseError{Status: status, Reason: fmt.Sprintf("%d results for %d records", len(items), len(r.sent))}
	}
	for j, raw := range items {
		i := r.sent[j]
		res, err := recordResult(raw, j, status, r.ops[i])
		if err != nil {
			return err
		}
		rep.Results[i] = res
	}
	return nil
}

var jsonPathIndex = regexp.MustCompile(`^\$\.data\[(\d+)\]`)

// recordResult maps data[index] of an answer with HTTP status to op's
// result.
func recordResult(raw json.RawMessage, index, status int, op *core.Operation) (core.Result, error) {
	var it item
	if err := json.Unmarshal(raw, &it); err != nil {
		return core.Result{}, &ResponseError{Status: status, Reason: fmt.Sprintf("data[%d] unreadable", index), Err: err}
	}
	var d itemDetails
	_ = json.Unmarshal(it.Details, &d) // details of another shape carry neither key
	if m := jsonPathIndex.FindStringSubmatch(d.JSONPath); m != nil {
		if n, err := strconv.Atoi(m[1]); err != nil || n != index {
			return core.Result{}, &ResponseError{Status: status, Reason: fmt.Sprintf("data[%d] says json_path %s", index, m[0])}
		}
	}
	res := core.Result{Op: op}
	if it.Status == "success" || (it.Status == "" && it.Code == "SUCCESS") {
		res.Outcome, res.RecordID = core.Done, idString(d.ID)
		if res.RecordID == "" && op.Action == core.Update {
			res.RecordID = op.RecordID
		}
		if res.RecordID == "" {
			return core.Result{}, &ResponseError{Status: status, Reason: fmt.Sprintf("data[%d] succeeded without a record id", index)}
		}
		if op.Action == core.Upsert {
			res.ZohoAction = it.Action
		}
		return res, nil
	}
	if it.Code == "" {
		return core.Result{}, &ResponseError{Status: status, Reason: fmt.Sprintf("data[%d] has neither success nor an error code", index)}
	}
	res.Outcome = outcomeFor(it.Code, status)
	res.Problem = &core.Problem{Code: it.Code, Message: it.Message, Details: copyRaw(it.Details), Status: status}
	return res, nil
}

// idString reads a record id given as a JSON string or number.
func idString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// copyRaw returns a copy of raw, or nil for absent or null details.
func copyRaw(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return append(json.RawMessage(nil), raw...)
}
