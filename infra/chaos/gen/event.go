package gen

import "time"

// Kind names one shape of generated webhook.
type Kind string

// The kinds the generator mixes.
const (
	StripeCustomer    Kind = "stripe customer.created"
	StripeNoName      Kind = "stripe customer.created without name or e-mail"
	StripeCheckout    Kind = "stripe checkout.session.completed"
	StripeInvoice     Kind = "stripe invoice.paid"
	ShopifyCustomer   Kind = "shopify customers/create"
	ShopifyOrder      Kind = "shopify orders/create"
	TypeformResponse  Kind = "typeform form_response"
	TypeformBadBudget Kind = "typeform form_response with a budget Zoho refuses"
	CalendlyInvitee   Kind = "calendly invitee.created"
)

// Redelivery says whether and how the sender delivers an event again.
type Redelivery int

// Redeliveries.
const (
	// Once: one delivery.
	Once Redelivery = iota
	// Later: delivered again after more events (a sender's retry).
	Later
	// Concurrent: two deliveries at the same moment.
	Concurrent
)

// Op is one record an event must write: the operation's id in the config's
// route, the Zoho module and the record's key (see RecordKey).
type Op struct {
	ID     string
	Module string
	Key    string
	// Fields are text each named field of the written record must contain
	// (the person's family name in Last_Name or Deal_Name), so a record
	// written with another event's values shows.
	Fields map[string]string
	// Refs are lookup fields filled with the record id of another
	// operation of the same event, by that operation's ID.
	Refs map[string]string
}

// Event is one generated webhook and what must become of it.
type Event struct {
	Seq    int
	Kind   Kind
	Source string
	// ID is the event id ingest derives from the delivery.
	ID string
	// Ops are the records the event writes (none for a mapping failure).
	Ops []Op
	// DeadCode is the dead-letter code an event built to fail must earn;
	// DeadOp is the operation that fails, empty when the whole event does
	// (a mapping error).
	DeadCode string
	DeadOp   string
	// Redeliver says how often and when the sender posts it.
	Redeliver Redelivery
}

// Payload is an event's body and headers, not yet signed. It is kept only
// while the event is being posted: bodies are large, expectations small.
type Payload struct {
	Source  string
	Headers map[string]string
	Body    []byte
}

// Delivery is one signed POST to /hooks/{Source}.
type Delivery struct {
	Source  string
	Headers map[string]string
	Body    []byte
}

// person is one generated buyer, lead or invitee.
type person struct {
	first, last, email string
	// stripeID and shopifyID are their customer ids at those senders.
	stripeID  string
	shopifyID int64
}

func (p person) name() string { return p.first + " " + p.last }

// epoch is the generated events' base time; each event is one second later.
var epoch = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
