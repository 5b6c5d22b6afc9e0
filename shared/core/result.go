package core

import (
	"encoding/json"
	"time"
)

// Outcome is where one operation ended after a call.
type Outcome int

// Outcomes. Every operation ends Done, or is requeued (Retry), or is
// dead-lettered (Dead): nothing else.
const (
	Done Outcome = iota
	Retry
	Dead
)

func (o Outcome) String() string {
	switch o {
	case Done:
		return "done"
	case Retry:
		return "retry"
	case Dead:
		return "dead"
	}
	return "unknown"
}

// Result is what became of one operation of a call.
type Result struct {
	Op      *Operation
	Outcome Outcome
	// RecordID is the Zoho id written (Done only); ZohoAction is "insert" or
	// "update" for upserts, as Zoho reported it.
	RecordID   string
	ZohoAction string
	// Problem describes a Retry or Dead outcome.
	Problem *Problem
	// RetryAt, when set, is the earliest useful retry time (a ledger
	// cool-down or credits freeing up).
	RetryAt time.Time
}

// DeadLetter is a record zohosync gave up on, stored with everything needed
// to understand and replay it.
type DeadLetter struct {
	ID       string     `json:"id"`
	Org      string     `json:"org"`
	Source   string     `json:"source"`
	EventID  string     `json:"event_id"`
	Route    string     `json:"route,omitempty"`
	Envelope Envelope   `json:"envelope"`
	Op       *Operation `json:"op,omitempty"`
	Code     string     `json:"code"`
	Message  string     `json:"message,omitempty"`
	// Details are Zoho's details object (or zohosync's, for mapping errors).
	Details  json.RawMessage `json:"details,omitempty"`
	Attempts int             `json:"attempts"`
	FirstAt  time.Time       `json:"first_at"`
	At       time.Time       `json:"at"`
}
