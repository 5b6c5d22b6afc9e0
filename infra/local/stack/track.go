package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/zohosync/zohosync/shared/core"
)

// CRM is what the tracker reads from the Zoho simulator.
type CRM interface {
	// Record returns a stored record's fields, or nil.
	Record(module, id string) map[string]any
}

// Outcome is what became of one posted webhook.
type Outcome struct {
	Source, Name string
	EventID      string
	Status       int
	// Accept is "accepted", "duplicate" or "rejected".
	Accept string
	// Sync is "synced", "dead-lettered", "retrying" or "ignored" (no
	// operation came of it); empty for a rejected delivery.
	Sync   string
	Reason string // the dead-letter or retry code
	// Retries is the most retries any operation needed before its final
	// result; Retried lists their codes.
	Retries int
	Retried []string
	Module  string
	Record  string
	Fields  map[string]any
	Results []core.Result
}

// Tracker follows posted webhooks to their sync results. It is safe for
// concurrent use.
type Tracker struct {
	mu       sync.Mutex
	posted   []*Outcome
	byEvent  map[string][]core.Result // event id -> results
	OnResult func(core.Result)        // optional live hook
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker { return &Tracker{byEvent: map[string][]core.Result{}} }

// Result records one settled operation; wire it to the sync handler's
// OnResult option.
func (t *Tracker) Result(_ context.Context, r core.Result) {
	t.mu.Lock()
	if r.Op != nil {
		seen := map[string]bool{}
		for _, s := range r.Op.Sources {
			if !seen[s.EventID] {
				seen[s.EventID] = true
				t.byEvent[s.EventID] = append(t.byEvent[s.EventID], r)
			}
		}
	}
	hook := t.OnResult
	t.mu.Unlock()
	if hook != nil {
		hook(r)
	}
}

// Post sends one webhook to the front door and records the answer.
func (t *Tracker) Post(ctx context.Context, url, source, name string, headers map[string]string, body []byte) (*Outcome, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/hooks/"+source, strings.NewReader(string(body)))
	if err != nil {
		return nil, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post %s: %w", name, err)
	}
	defer resp.Body.Close()
	var reply struct {
		Status  string `json:"status"`
		EventID string `json:"event_id"`
		Error   string `json:"error"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = json.Unmarshal(b, &reply)
	o := &Outcome{Source: source, Name: name, Status: resp.StatusCode, EventID: reply.EventID}
	switch {
	case resp.StatusCode == http.StatusAccepted:
		o.Accept = "accepted"
	case resp.StatusCode == http.StatusOK && reply.Status == "duplicate":
		o.Accept = "duplicate"
	default:
		o.Accept, o.Reason = "rejected", reply.Error
	}
	t.mu.Lock()
	t.posted = append(t.posted, o)
	t.mu.Unlock()
	return o, nil
}

// Outcomes resolves every posted webhook against the results seen so far
// and the CRM's records (crm may be nil).
func (t *Tracker) Outcomes(crm CRM) []*Outcome {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*Outcome, 0, len(t.posted))
	for _, p := range t.posted {
		o := *p
		if o.Accept != "rejected" {
			o.Results = t.byEvent[o.EventID]
			resolve(&o, crm)
		}
		out = append(out, &o)
	}
	return out
}

// resolve sets Sync from the results: each operation's latest result counts
// (a retry that later succeeded is done), then the worst outcome wins (dead
// over retry over done); the first written record names module and id.
func resolve(o *Outcome, crm CRM) {
	if len(o.Results) == 0 {
		o.Sync = "ignored"
		return
	}
	perOp := map[string]int{}
	seen := map[string]bool{}
	for _, r := range o.Results {
		if r.Outcome != core.Retry || r.Op == nil {
			continue
		}
		perOp[r.Op.ID]++
		o.Retries = max(o.Retries, perOp[r.Op.ID])
		if code := problemCode(r.Problem); !seen[code] {
			seen[code] = true
			o.Retried = append(o.Retried, code)
		}
	}
	o.Results = latest(o.Results)
	o.Sync = "synced"
	for _, r := range o.Results {
		if r.Op != nil && o.Module == "" {
			o.Module = r.Op.Module
		}
		switch r.Outcome {
		case core.Dead:
			o.Sync, o.Reason = "dead-lettered", problemCode(r.Problem)
		case core.Retry:
			if o.Sync != "dead-lettered" {
				o.Sync, o.Reason = "retrying", problemCode(r.Problem)
			}
		case core.Done:
			if o.Record == "" {
				o.Record, o.Module = r.RecordID, r.Op.Module
			}
		}
	}
	if crm != nil && o.Record != "" {
		o.Fields = crm.Record(o.Module, o.Record)
	}
}

// latest keeps each operation's last result, in the order operations first
// appeared.
func latest(rs []core.Result) []core.Result {
	idx := map[string]int{}
	var out []core.Result
	for _, r := range rs {
		key := ""
		if r.Op != nil {
			key = r.Op.ID
		}
		if i, ok := idx[key]; ok {
			out[i] = r
			continue
		}
		idx[key] = len(out)
		out = append(out, r)
	}
	return out
}

func problemCode(p *core.Problem) string {
	if p == nil {
		return ""
	}
	return p.Code
}

// Line renders an outcome: one line for the delivery and, for a first
// delivery, one indented line per operation: the module, the Zoho record id
// and action with the fields this event synced, or why it was not written.
func (o *Outcome) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %-44s %-34s %s", o.Source, o.Name, orDash(o.EventID), o.Accept)
	if o.Accept == "rejected" {
		fmt.Fprintf(&b, " (%d %s)", o.Status, o.Reason)
		return b.String()
	}
	fmt.Fprintf(&b, " → %s", o.Sync)
	if o.Reason != "" {
		fmt.Fprintf(&b, " (%s)", o.Reason)
	}
	if o.Sync != "retrying" && o.Retries > 0 {
		word := "retries"
		if o.Retries == 1 {
			word = "retry"
		}
		fmt.Fprintf(&b, " after %d %s (%s)", o.Retries, word, strings.Join(o.Retried, ", "))
	}
	if o.Accept == "duplicate" {
		b.WriteString(" (not enqueued again)")
		return b.String()
	}
	for _, r := range o.Results {
		if r.Op == nil {
			if r.Problem != nil {
				fmt.Fprintf(&b, "\n    %s: %s", r.Problem.Code, r.Problem.Message)
			}
			continue
		}
		switch r.Outcome {
		case core.Done:
			action := r.ZohoAction
			if action == "" {
				action = string(r.Op.Action)
			}
			fmt.Fprintf(&b, "\n    %-9s %s (%s) %s", r.Op.Module, r.RecordID, action, fieldsText(r.Op.Fields))
		default:
			code, msg := problemCode(r.Problem), ""
			if r.Problem != nil {
				msg = r.Problem.Message
			}
			fmt.Fprintf(&b, "\n    %-9s %s %s: %s", r.Op.Module, r.Outcome, code, msg)
		}
	}
	return b.String()
}

// ResultLine renders one settled operation as it happens (the interactive
// run prints these for webhooks posted after the samples).
func ResultLine(r core.Result) string {
	src, event := "", ""
	if r.Op != nil && len(r.Op.Sources) > 0 {
		src, event = r.Op.Sources[len(r.Op.Sources)-1].Source, r.Op.Sources[len(r.Op.Sources)-1].EventID
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %-34s ", src, orDash(event))
	switch {
	case r.Outcome == core.Done && r.Op != nil:
		fmt.Fprintf(&b, "synced  %s %s (%s) %s", r.Op.Module, r.RecordID, r.ZohoAction, fieldsText(r.Op.Fields))
	case r.Outcome == core.Dead:
		fmt.Fprintf(&b, "dead-lettered %s: %s", problemCode(r.Problem), problemText(r.Problem))
	default:
		fmt.Fprintf(&b, "retrying %s (%s)", problemCode(r.Problem), r.RetryAt.Format("15:04:05"))
	}
	return b.String()
}

func problemText(p *core.Problem) string {
	if p == nil {
		return ""
	}
	return p.Message
}

// fieldsText lists the record's own fields (not Zoho's bookkeeping ones).
func fieldsText(f map[string]any) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		switch k {
		case "id", "Created_Time", "Modified_Time", "Created_By", "Modified_By", "Owner", "$approval_state":
			continue
		}
		if !strings.HasPrefix(k, "$") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v, _ := json.Marshal(f[k])
		if r := []rune(string(v)); len(r) > 72 {
			v = []byte(fmt.Sprintf("%s…(%d chars)", string(r[:60]), len(r)))
		}
		parts = append(parts, k+"="+string(v))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ResultFunc is the shape of the sync handler's OnResult hook.
type ResultFunc func(context.Context, core.Result)
