package core

import "time"

// Action is the Zoho write an operation asks for.
type Action string

// The write actions. Upsert matches existing records on duplicate_check_fields.
const (
	Insert Action = "insert"
	Update Action = "update"
	Upsert Action = "upsert"
)

// Valid reports whether a is one of the three write actions.
func (a Action) Valid() bool { return a == Insert || a == Update || a == Upsert }

// Operation is one record write derived from one event (or, after the
// planner coalesces them, from several events writing the same record).
type Operation struct {
	// ID names the operation within its route ("contact", "deal"); it is
	// unique within one event and is what Refs point at.
	ID     string `json:"id"`
	Org    string `json:"org"`
	Route  string `json:"route,omitempty"`
	Module string `json:"module"`
	Action Action `json:"action"`
	// Match lists the duplicate_check_fields of an upsert, in order.
	Match []string `json:"match,omitempty"`
	// Trigger is the body's "trigger" array: nil omits it (Zoho then runs all
	// automation), an empty slice sends [] (no automation).
	Trigger []string `json:"trigger"`
	// Fields maps Zoho field API names to JSON values (see package doc).
	Fields map[string]any `json:"fields"`
	// RecordID is the Zoho id an update targets.
	RecordID string `json:"record_id,omitempty"`
	// Refs fill lookup fields with the record id of another operation of the
	// same event, once that one is written: Fields[Field] = {"id": <id>}.
	Refs []Ref `json:"refs,omitempty"`
	// Sources are the queue messages and events this operation came from.
	Sources []Source `json:"sources,omitempty"`
	// RefTargets resolves each Ref, by its Field, to the operation whose
	// record id fills that field. The planner sets it after coalescing, when a
	// Ref's Op name alone no longer says which event's operation is meant; it
	// is never serialised.
	RefTargets map[string]*Operation `json:"-"`
}

// Ref says that lookup field Field takes the record id written by operation Op.
type Ref struct {
	Field string `json:"field"`
	Op    string `json:"op"`
}

// Source identifies the queue message, the event and the operation (its ID
// within that event) an operation came from. Coalesced operations keep one
// Source per original operation.
type Source struct {
	MessageID  string    `json:"message_id"`
	Op         string    `json:"op,omitempty"`
	EventID    string    `json:"event_id"`
	Source     string    `json:"source"`
	ReceivedAt time.Time `json:"received_at"`
}

// MatchValues returns the values of the operation's match fields, in order,
// and whether every one is present and non-empty. An upsert without them has
// no usable match key.
func (o *Operation) MatchValues() ([]any, bool) {
	vals := make([]any, len(o.Match))
	for i, f := range o.Match {
		v, ok := o.Fields[f]
		if !ok || v == nil || v == "" {
			return nil, false
		}
		vals[i] = v
	}
	return vals, len(o.Match) > 0
}
