package worker

import (
	"context"
	"encoding/json"
	"io"
	"sync"

	"github.com/zohosync/zohosync/shared/core"
)

// Message types on the control pipe.
const (
	TypeReady  = "ready"  // the poller is about to start
	TypeStart  = "start"  // a batch invocation starts
	TypeEnd    = "end"    // a batch invocation ended (settled or failed)
	TypeResult = "result" // the sync handler settled one operation
)

// Message is one line on the control pipe.
type Message struct {
	Type string `json:"t"`
	// Result fields: the event and operation ("" for a whole event), the
	// module, the outcome (done, retry, dead), the problem code and the
	// record id written.
	Event   string `json:"e,omitempty"`
	Source  string `json:"s,omitempty"`
	Op      string `json:"o,omitempty"`
	Module  string `json:"m,omitempty"`
	Outcome string `json:"r,omitempty"`
	Code    string `json:"c,omitempty"`
	Record  string `json:"id,omitempty"`
}

// control writes messages, one line per write (shorter than a pipe's
// atomic-write size, so lines never interleave and a killed child leaves
// only whole lines behind).
type control struct {
	mu sync.Mutex
	w  io.Writer
}

func (c *control) send(m Message) {
	b, err := json.Marshal(m)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, _ = c.w.Write(append(b, '\n')) // a parent that went away has stopped listening
}

// result is the sync handler's OnResult hook.
func (c *control) result(_ context.Context, r core.Result) {
	m := Message{Type: TypeResult, Outcome: r.Outcome.String(), Record: r.RecordID}
	if r.Problem != nil {
		m.Code = r.Problem.Code
	}
	if r.Op != nil {
		m.Op, m.Module = r.Op.ID, r.Op.Module
		if len(r.Op.Sources) > 0 {
			m.Event, m.Source = r.Op.Sources[0].EventID, r.Op.Sources[0].Source
		}
	}
	c.send(m)
}
