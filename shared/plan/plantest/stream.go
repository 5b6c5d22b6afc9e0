package plantest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

// StreamConfig describes a synthetic stream.
type StreamConfig struct {
	// Events is the number of events; PerMinute their steady arrival rate.
	Events, PerMinute int
	// Seed makes the stream reproducible.
	Seed uint64
	// Org receives every operation.
	Org string
	// Start is the first arrival time.
	Start time.Time
	// RepeatCheckout is the share of checkouts by a customer whose
	// customer.created event arrived shortly before (same e-mail, possibly
	// in another letter case); Stripe sends both for a new customer.
	RepeatCheckout float64
}

// DefaultStream is the headline stream: 10,000 events at 600 per minute
// (Contacts about 450, Deals about 180, Leads about 150 operations per
// minute), 60 % of checkouts by a customer created just before.
var DefaultStream = StreamConfig{Events: 10000, PerMinute: 600, Seed: 1, Org: "acme",
	Start: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC), RepeatCheckout: 0.6}

// Event is one webhook event and the operations its mapping yields.
type Event struct {
	At  time.Time
	Ops []*core.Operation
}

// Stream returns cfg.Events events in arrival order: 35 % Stripe
// customer.created (Contacts upsert), 30 % Stripe checkout.session.completed
// (Contacts upsert, then a Deals upsert whose Contact_Name refers to it),
// 25 % Typeform demo requests (Leads upsert), 10 % Shopify customers/create
// (Contacts upsert).
func Stream(cfg StreamConfig) []Event {
	g := &gen{cfg: cfg, rnd: rand.New(rand.NewPCG(cfg.Seed, 0x5eed))}
	every := time.Minute / time.Duration(max(cfg.PerMinute, 1))
	out := make([]Event, cfg.Events)
	for i := range out {
		at := cfg.Start.Add(time.Duration(i) * every)
		out[i] = Event{At: at, Ops: g.event(i, at)}
	}
	return out
}

type gen struct {
	cfg    StreamConfig
	rnd    *rand.Rand
	recent []string // e-mails of recent Stripe customers
}

func (g *gen) event(i int, at time.Time) []*core.Operation {
	src := core.Source{MessageID: fmt.Sprintf("msg-%06d", i), EventID: fmt.Sprintf("evt_%06d", i), ReceivedAt: at}
	switch r := g.rnd.IntN(100); {
	case r < 35:
		src.Source = "stripe"
		email := g.email("stripe", i)
		g.recent = append(g.recent, email)
		if len(g.recent) > 20 {
			g.recent = g.recent[1:]
		}
		return []*core.Operation{g.contact(src, email)}
	case r < 65:
		src.Source = "stripe"
		return g.checkout(src, i)
	case r < 90:
		src.Source = "typeform"
		return []*core.Operation{g.lead(src, i)}
	default:
		src.Source = "shopify"
		return []*core.Operation{g.contact(src, g.email("shopify", i))}
	}
}

func (g *gen) email(kind string, i int) string {
	return fmt.Sprintf("%s.customer%06d@example.com", kind, i)
}

func (g *gen) contact(src core.Source, email string) *core.Operation {
	src.Op = "contact"
	n := g.rnd.IntN(100000)
	return &core.Operation{ID: "contact", Org: g.cfg.Org, Route: src.Source + "-customer", Module: "Contacts",
		Action: core.Upsert, Match: []string{"Email"},
		Fields: map[string]any{"Email": email, "First_Name": fmt.Sprintf("Ada%d", n),
			"Last_Name": fmt.Sprintf("Example%d", n), "Phone": fmt.Sprintf("+1555%07d", n)},
		Sources: []core.Source{src}}
}

// checkout is a contact upsert and a deal that refers to it.
func (g *gen) checkout(src core.Source, i int) []*core.Operation {
	email := g.email("buyer", i)
	if len(g.recent) > 0 && g.rnd.Float64() < g.cfg.RepeatCheckout {
		email = g.recent[g.rnd.IntN(len(g.recent))]
		if g.rnd.IntN(4) == 0 {
			email = strings.ToUpper(email[:1]) + email[1:]
		}
	}
	c := g.contact(src, email)
	c.Route = "stripe-checkout"
	dsrc := src
	dsrc.Op = "deal"
	d := &core.Operation{ID: "deal", Org: g.cfg.Org, Route: "stripe-checkout", Module: "Deals",
		Action: core.Upsert, Match: []string{"Deal_Name"},
		Fields: map[string]any{"Deal_Name": fmt.Sprintf("Checkout cs_%06d", i), "Stage": "Closed Won",
			"Amount":       json.Number(fmt.Sprintf("%d.%02d", 10+g.rnd.IntN(990), g.rnd.IntN(100))),
			"Closing_Date": src.ReceivedAt.Format("2006-01-02")},
		Refs:    []core.Ref{{Field: "Contact_Name", Op: "contact"}},
		Sources: []core.Source{dsrc}}
	return []*core.Operation{c, d}
}

func (g *gen) lead(src core.Source, i int) *core.Operation {
	src.Op = "lead"
	n := g.rnd.IntN(100000)
	return &core.Operation{ID: "lead", Org: g.cfg.Org, Route: "typeform-demo", Module: "Leads",
		Action: core.Upsert, Match: []string{"Email"},
		Fields: map[string]any{"Email": g.email("lead", i), "First_Name": fmt.Sprintf("Grace%d", n),
			"Last_Name": fmt.Sprintf("Example%d", n), "Company": fmt.Sprintf("Example Co %d", n%500),
			"Lead_Source": "Web Download"},
		Sources: []core.Source{src}}
}
