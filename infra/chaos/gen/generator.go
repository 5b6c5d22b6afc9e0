package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/zohosync/zohosync/infra/local/samples"
)

// templates names the sample body each kind starts from.
var templates = map[Kind]string{
	StripeCustomer:    "stripe/customer.created.json",
	StripeNoName:      "stripe/customer.created-null-name-no-email.json",
	StripeCheckout:    "stripe/checkout.session.completed.json",
	StripeInvoice:     "stripe/invoice.paid.json",
	ShopifyCustomer:   "shopify/customers-create.json",
	ShopifyOrder:      "shopify/orders-create.json",
	TypeformResponse:  "typeform/form_response.json",
	TypeformBadBudget: "typeform/form_response.json",
	CalendlyInvitee:   "calendly/invitee.created.json",
}

// Weight is one kind's share of the mix.
type Weight struct {
	Kind Kind
	N    int
}

// DefaultMix is the share of each kind, in percent: mostly record chains,
// with about 4% built to be dead-lettered (a Stripe customer without name
// or e-mail fails the mapping; a Typeform budget outside the picklist is
// refused by Zoho as INVALID_DATA).
var DefaultMix = []Weight{
	{StripeCustomer, 14}, {StripeNoName, 2}, {StripeCheckout, 18}, {StripeInvoice, 10},
	{ShopifyCustomer, 10}, {ShopifyOrder, 18}, {TypeformResponse, 12}, {TypeformBadBudget, 2},
	{CalendlyInvitee, 14},
}

// Shares of redeliveries, in percent.
const (
	laterPercent      = 4
	concurrentPercent = 2
	// reusePercent of checkouts, invoices and orders buy as an earlier
	// customer, so one Contact is written by several events.
	reusePercent = 30
)

// Generator makes events. Build it with New.
type Generator struct {
	tag     string // seed in base 36, in ids and e-mails
	tagN    uint64 // seed in 16 bits, in uuid-shaped ids
	rnd     *rand.Rand
	ppl     *people
	tpl     map[Kind][]byte
	secrets map[string]string
	mix     []Weight
	total   int
	seq     int
	// stripePool and shopifyPool are earlier customers, for reuse.
	stripePool, shopifyPool []person
}

// New loads the sample bodies and secrets under root (the repository) and
// returns a generator for seed.
func New(root string, seed uint64) (*Generator, error) {
	g := &Generator{
		tag:     strconv.FormatUint(seed%46656, 36),
		tagN:    seed % 65536,
		rnd:     rand.New(rand.NewPCG(seed, 0x63686173)),
		tpl:     map[Kind][]byte{},
		secrets: map[string]string{},
		mix:     DefaultMix,
	}
	g.ppl = &people{tag: g.tag, rnd: g.rnd}
	for _, w := range g.mix {
		g.total += w.N
	}
	for kind, file := range templates {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "webhooks", filepath.FromSlash(file)))
		if err != nil {
			return nil, fmt.Errorf("gen: %w", err)
		}
		g.tpl[kind] = b
	}
	for _, src := range samples.Sources {
		set, err := samples.Load(root, src)
		if err != nil {
			return nil, fmt.Errorf("gen: %w", err)
		}
		g.secrets[src] = set.Secret
	}
	return g, nil
}

// Next returns the next event and its unsigned payload.
func (g *Generator) Next() (*Event, *Payload, error) {
	g.seq++
	e := &Event{Seq: g.seq, Kind: g.pick(), Redeliver: g.redelivery()}
	p, err := g.build(e)
	if err != nil {
		return nil, nil, fmt.Errorf("gen: event %d (%s): %w", e.Seq, e.Kind, err)
	}
	e.Source = p.Source
	return e, p, nil
}

func (g *Generator) pick() Kind {
	n := g.rnd.IntN(g.total)
	for _, w := range g.mix {
		if n < w.N {
			return w.Kind
		}
		n -= w.N
	}
	return g.mix[len(g.mix)-1].Kind
}

func (g *Generator) redelivery() Redelivery {
	switch n := g.rnd.IntN(100); {
	case n < laterPercent:
		return Later
	case n < laterPercent+concurrentPercent:
		return Concurrent
	}
	return Once
}

// build fills the event's id and expectations and returns its payload.
func (g *Generator) build(e *Event) (*Payload, error) {
	d, err := decode(g.tpl[e.Kind])
	if err != nil {
		return nil, err
	}
	var p *Payload
	switch e.Kind {
	case StripeCustomer, StripeNoName:
		p = g.stripeCustomer(e, d)
	case StripeCheckout:
		p = g.stripeCheckout(e, d)
	case StripeInvoice:
		p = g.stripeInvoice(e, d)
	case ShopifyCustomer:
		p = g.shopifyCustomer(e, d)
	case ShopifyOrder:
		p = g.shopifyOrder(e, d)
	case TypeformResponse, TypeformBadBudget:
		p = g.typeform(e, d)
	case CalendlyInvitee:
		p = g.calendly(e, d)
	default:
		return nil, fmt.Errorf("unknown kind %q", e.Kind)
	}
	if p.Body, err = d.bytes(); err != nil {
		return nil, err
	}
	return p, nil
}

// customer returns a buyer at a sender: an earlier one from pool now and
// then, else a new person added to the pool.
func (g *Generator) customer(pool *[]person, src string) person {
	if len(*pool) > 0 && g.rnd.IntN(100) < reusePercent {
		return (*pool)[g.rnd.IntN(len(*pool))]
	}
	p := g.ppl.next(src)
	*pool = append(*pool, p)
	return p
}

// cents returns an amount between 1.00 and 4,999.99.
func (g *Generator) cents() int64 { return 100 + g.rnd.Int64N(499900) }
