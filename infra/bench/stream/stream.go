package stream

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/zohosync/zohosync/infra/local/samples"
)

// Kind names one event template: a sample body in testdata/webhooks.
type Kind string

// The templates. Each maps to one or more Zoho operations with the shipped
// config (see config/zohosync.yaml).
const (
	// StripeCustomer: customer.created, one Contacts upsert.
	StripeCustomer Kind = "stripe/customer.created"
	// StripeCheckout: checkout.session.completed, a Contacts upsert and a
	// Deals upsert referring to it (and an Accounts upsert first when the
	// checkout names a company).
	StripeCheckout Kind = "stripe/checkout.session.completed"
	// StripeInvoice: invoice.paid, a Contact and a Deal referring to it.
	StripeInvoice Kind = "stripe/invoice.paid"
	// ShopifyCustomer: customers/create, one Contacts upsert.
	ShopifyCustomer Kind = "shopify/customers-create"
	// ShopifyOrder: orders/create (13 KB), a Contact and a Deal.
	ShopifyOrder Kind = "shopify/orders-create"
	// TypeformLead: a form response, one Leads upsert.
	TypeformLead Kind = "typeform/form_response"
	// CalendlyBooking: invitee.created, one Leads upsert.
	CalendlyBooking Kind = "calendly/invitee.created"
)

// bodyFiles names each kind's sample body.
var bodyFiles = map[Kind]string{
	StripeCustomer: "customer.created.json", StripeCheckout: "checkout.session.completed.json",
	StripeInvoice: "invoice.paid.json", ShopifyCustomer: "customers-create.json",
	ShopifyOrder: "orders-create.json", TypeformLead: "form_response.json",
	CalendlyBooking: "invitee.created.json",
}

// Source returns the sender of a kind ("stripe", ...).
func (k Kind) Source() string { s, _, _ := strings.Cut(string(k), "/"); return s }

// Weighted is one kind and its share of a mix.
type Weighted struct {
	Kind   Kind
	Weight int
}

// Config describes a stream.
type Config struct {
	// Mix lists the kinds and their relative weights.
	Mix []Weighted
	// Seed makes the stream reproducible.
	Seed uint64
	// Tag goes into every id and e-mail address, so streams of different
	// runs never collide.
	Tag string
	// RepeatCustomer is the share of checkouts and invoices by a customer
	// whose customer.created event came shortly before.
	RepeatCustomer float64
	// CompanyShare is the share of checkouts that name a company.
	CompanyShare float64
}

// Event is one webhook, ready to sign and send.
type Event struct {
	Seq    int
	Kind   Kind
	Source string
	// Headers are the sample's headers, made unique, without a signature.
	Headers map[string]string
	Body    []byte
	secret  string
}

// Sign returns the headers to send at time now: Headers plus the sender's
// signature over Body (timestamped for Stripe and Calendly).
func (e *Event) Sign(now time.Time) (map[string]string, error) {
	h := make(map[string]string, len(e.Headers)+1)
	for k, v := range e.Headers {
		h[k] = v
	}
	name, value, err := samples.Sign(e.Source, e.secret, e.Body, now)
	if err != nil {
		return nil, err
	}
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
	h[name] = value
	return h, nil
}

// template is one sample: its decoded body and headers.
type template struct {
	body    []byte
	headers map[string]string
	secret  string
}

// Generator produces a stream. It is not safe for concurrent use.
type Generator struct {
	cfg       Config
	rnd       *rand.Rand
	templates map[Kind]*template
	total     int
	seq       int
	recent    []*person
}

// New loads the templates of cfg.Mix from the samples under root.
func New(root string, cfg Config) (*Generator, error) {
	if len(cfg.Mix) == 0 {
		return nil, fmt.Errorf("stream: empty mix")
	}
	g := &Generator{cfg: cfg, rnd: rand.New(rand.NewPCG(cfg.Seed, 0xbe4c4)), templates: map[Kind]*template{}}
	sets := map[string]*samples.Set{}
	for _, w := range cfg.Mix {
		if w.Weight <= 0 {
			return nil, fmt.Errorf("stream: kind %s has weight %d", w.Kind, w.Weight)
		}
		g.total += w.Weight
		t, err := loadTemplate(root, w.Kind, sets)
		if err != nil {
			return nil, err
		}
		g.templates[w.Kind] = t
	}
	return g, nil
}

func loadTemplate(root string, k Kind, sets map[string]*samples.Set) (*template, error) {
	file, ok := bodyFiles[k]
	if !ok {
		return nil, fmt.Errorf("stream: unknown kind %q", k)
	}
	set := sets[k.Source()]
	if set == nil {
		var err error
		if set, err = samples.Load(root, k.Source()); err != nil {
			return nil, err
		}
		sets[k.Source()] = set
	}
	for _, d := range set.Deliveries {
		if d.BodyFile == file && d.Accepted() {
			return &template{body: d.Body, headers: d.Headers, secret: set.Secret}, nil
		}
	}
	return nil, fmt.Errorf("stream: no accepted %s sample with body %s", k.Source(), file)
}

// Next returns the next event.
func (g *Generator) Next() (*Event, error) {
	k := g.pick()
	t := g.templates[k]
	doc, err := decode(t.body)
	if err != nil {
		return nil, fmt.Errorf("stream: %s sample: %w", k, err)
	}
	g.seq++
	headers := make(map[string]string, len(t.headers))
	for name, v := range t.headers {
		headers[name] = v
	}
	if err := mutators[k](g, doc, headers); err != nil {
		return nil, fmt.Errorf("stream: vary %s: %w", k, err)
	}
	body, err := encode(doc)
	if err != nil {
		return nil, err
	}
	return &Event{Seq: g.seq, Kind: k, Source: k.Source(), Headers: headers, Body: body, secret: t.secret}, nil
}

// Take returns the next n events.
func (g *Generator) Take(n int) ([]*Event, error) {
	out := make([]*Event, 0, n)
	for range n {
		e, err := g.Next()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (g *Generator) pick() Kind {
	n := g.rnd.IntN(g.total)
	for _, w := range g.cfg.Mix {
		if n < w.Weight {
			return w.Kind
		}
		n -= w.Weight
	}
	return g.cfg.Mix[len(g.cfg.Mix)-1].Kind
}

// customer returns a recent customer (with probability RepeatCustomer) or a
// new one.
func (g *Generator) customer() (*person, bool) {
	if len(g.recent) > 0 && g.rnd.Float64() < g.cfg.RepeatCustomer {
		return g.recent[g.rnd.IntN(len(g.recent))], true
	}
	return g.fresh(), false
}

// fresh makes a new person and remembers the last 20 for repeats.
func (g *Generator) fresh() *person {
	p := newPerson(g.rnd, g.cfg.Tag, g.seq)
	g.recent = append(g.recent, p)
	if len(g.recent) > 20 {
		g.recent = g.recent[1:]
	}
	return p
}

func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("stream: encode: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
