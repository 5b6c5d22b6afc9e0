package stream

import (
	"encoding/json"
	"fmt"
	"time"
)

// kv is one path and the value to put there.
type kv struct {
	path string
	v    any
}

func apply(doc any, pairs []kv) error {
	for _, p := range pairs {
		if err := set(doc, p.path, p.v); err != nil {
			return err
		}
	}
	return nil
}

type mutator func(g *Generator, doc any, headers map[string]string) error

var mutators = map[Kind]mutator{
	StripeCustomer: stripeCustomer, StripeCheckout: stripeCheckout, StripeInvoice: stripeInvoice,
	ShopifyCustomer: shopifyCustomer, ShopifyOrder: shopifyOrder, TypeformLead: typeformLead,
	CalendlyBooking: calendlyBooking,
}

func (g *Generator) id(prefix string) string {
	return fmt.Sprintf("%s_%s%07d", prefix, g.cfg.Tag, g.seq)
}

func num(n int64) json.Number { return json.Number(fmt.Sprint(n)) }

func stripeCustomer(g *Generator, doc any, _ map[string]string) error {
	p := g.fresh()
	return apply(doc, []kv{
		{"id", g.id("evt")}, {"data.object.id", p.stripeID}, {"data.object.email", p.email},
		{"data.object.name", p.fullName()}, {"data.object.phone", p.phone},
		{"data.object.address.line1", p.street}, {"data.object.address.city", p.city},
		{"data.object.address.state", p.state}, {"data.object.address.postal_code", p.zip},
	})
}

func stripeCheckout(g *Generator, doc any, _ map[string]string) error {
	p, repeat := g.customer()
	email := p.email
	if repeat {
		email = sameEmail(g.rnd, email)
	}
	var co any // no company: the Accounts operation is skipped
	if g.rnd.Float64() < g.cfg.CompanyShare {
		co = company(g.rnd)
	}
	amount := int64(1000 + g.rnd.IntN(99000))
	return apply(doc, []kv{
		{"id", g.id("evt")}, {"data.object.id", g.id("cs_test")}, {"data.object.customer", p.stripeID},
		{"data.object.customer_details.email", email}, {"data.object.customer_details.name", p.fullName()},
		{"data.object.customer_details.phone", p.phone}, {"data.object.customer_details.address.line1", p.street},
		{"data.object.customer_details.address.city", p.city}, {"data.object.customer_details.address.state", p.state},
		{"data.object.customer_details.address.postal_code", p.zip},
		{"data.object.custom_fields[0].text.value", co},
		{"data.object.amount_total", num(amount)}, {"data.object.amount_subtotal", num(amount)},
	})
}

func stripeInvoice(g *Generator, doc any, _ map[string]string) error {
	p, _ := g.customer()
	return apply(doc, []kv{
		{"id", g.id("evt")}, {"data.object.id", g.id("in")}, {"data.object.customer", p.stripeID},
		{"data.object.customer_email", p.email}, {"data.object.customer_name", p.fullName()},
		{"data.object.number", fmt.Sprintf("%s-%04d", g.cfg.Tag, g.seq)},
		{"data.object.amount_paid", num(int64(500 + g.rnd.IntN(50000)))},
	})
}

// shopifyHeaders makes the delivery's event and webhook ids unique.
func (g *Generator) shopifyHeaders(h map[string]string) {
	h["X-Shopify-Event-Id"] = fmt.Sprintf("bench-%s-event-%07d", g.cfg.Tag, g.seq)
	h["X-Shopify-Webhook-Id"] = fmt.Sprintf("bench-%s-webhook-%07d", g.cfg.Tag, g.seq)
}

func shopifyCustomer(g *Generator, doc any, h map[string]string) error {
	p := g.fresh()
	g.shopifyHeaders(h)
	pairs := []kv{
		{"id", num(p.shopifyID)}, {"email", p.email}, {"first_name", p.first}, {"last_name", p.last},
		{"phone", p.phone}, {"admin_graphql_api_id", fmt.Sprintf("gid://shopify/Customer/%d", p.shopifyID)},
	}
	for _, a := range []string{"default_address", "addresses[0]"} {
		pairs = append(pairs, kv{a + ".customer_id", num(p.shopifyID)}, kv{a + ".first_name", p.first},
			kv{a + ".last_name", p.last}, kv{a + ".name", p.fullName()}, kv{a + ".address1", p.street},
			kv{a + ".city", p.city}, kv{a + ".zip", p.zip}, kv{a + ".phone", p.phone})
	}
	return apply(doc, pairs)
}

func shopifyOrder(g *Generator, doc any, h map[string]string) error {
	p, _ := g.customer()
	g.shopifyHeaders(h)
	return apply(doc, []kv{
		{"id", json.Number(fmt.Sprintf("73%017d", g.seq))}, {"name", fmt.Sprintf("#%s%d", g.cfg.Tag, g.seq)},
		{"email", p.email}, {"customer.id", num(p.shopifyID)}, {"customer.email", p.email},
		{"customer.first_name", p.first}, {"customer.last_name", p.last}, {"customer.phone", p.phone},
		{"billing_address.name", p.fullName()},
		{"total_price", fmt.Sprintf("%d.%02d", 10+g.rnd.IntN(990), g.rnd.IntN(100))},
	})
}

func typeformLead(g *Generator, doc any, _ map[string]string) error {
	p := g.fresh()
	token := fmt.Sprintf("BENCH%s%07d", g.cfg.Tag, g.seq)
	return apply(doc, []kv{
		{"event_id", token}, {"form_response.token", token},
		{"form_response.answers[0].text", p.first}, {"form_response.answers[1].text", p.last},
		{"form_response.answers[2].email", p.email},
	})
}

// calendlyEpoch is when the synthetic bookings start; each delivery's
// created_at is unique, which makes its event id unique.
var calendlyEpoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func calendlyBooking(g *Generator, doc any, _ map[string]string) error {
	p := g.fresh()
	uri := fmt.Sprintf("https://api.calendly.com/scheduled_events/BENCH%s/invitees/%07d", g.cfg.Tag, g.seq)
	created := calendlyEpoch.Add(time.Duration(g.seq) * time.Second).Format("2006-01-02T15:04:05.000000Z")
	return apply(doc, []kv{
		{"created_at", created}, {"payload.uri", uri}, {"payload.created_at", created},
		{"payload.email", p.email}, {"payload.first_name", p.first}, {"payload.last_name", p.last},
		{"payload.name", p.fullName()}, {"payload.text_reminder_number", p.phone},
		{"payload.questions_and_answers[0].answer", company(g.rnd)},
		{"payload.questions_and_answers[1].answer", p.phone},
	})
}
