package gen

import (
	"fmt"
	"strconv"
	"time"
)

// Shopify names each event in the X-Shopify-Event-Id header.
func (g *Generator) shopifyPayload(e *Event, topic string) *Payload {
	e.ID = fmt.Sprintf("c4a05000-%04x-4000-8000-%012x", g.tagN, e.Seq)
	at := epoch.Add(time.Duration(e.Seq) * time.Second)
	return &Payload{Source: "shopify", Headers: map[string]string{
		"Content-Type":           "application/json",
		"X-Shopify-Topic":        topic,
		"X-Shopify-Shop-Domain":  "example-shop.myshopify.com",
		"X-Shopify-API-Version":  "2024-10",
		"X-Shopify-Webhook-Id":   fmt.Sprintf("b5455000-%04x-4000-8000-%012x", g.tagN, e.Seq),
		"X-Shopify-Event-Id":     e.ID,
		"X-Shopify-Triggered-At": at.Format(time.RFC3339Nano),
	}}
}

// shopifyCustomer: a new customer is one Contact.
func (g *Generator) shopifyCustomer(e *Event, d *doc) *Payload {
	pl := g.shopifyPayload(e, "customers/create")
	p := g.ppl.next("shopify")
	g.shopifyPool = append(g.shopifyPool, p)
	d.set("id", num(p.shopifyID))
	d.set("email", p.email)
	d.set("first_name", p.first)
	d.set("last_name", p.last)
	d.set("addresses.0.customer_id", num(p.shopifyID))
	d.set("default_address.customer_id", num(p.shopifyID))
	e.Ops = []Op{personOp(p, "contact", "Contacts")}
	return pl
}

// shopifyOrder: an order is the buyer's Contact and a Deal keyed by the
// order id, a number beyond 2^53 that must stay digit-exact.
func (g *Generator) shopifyOrder(e *Event, d *doc) *Payload {
	pl := g.shopifyPayload(e, "orders/create")
	p := g.customer(&g.shopifyPool, "shopify")
	order := int64(7300000000000000000) + int64(e.Seq)
	d.set("id", num(order))
	d.set("name", fmt.Sprintf("#C%s%d", g.tag, e.Seq))
	d.set("email", p.email)
	d.set("contact_email", p.email)
	d.set("customer.id", num(p.shopifyID))
	d.set("customer.email", p.email)
	d.set("customer.first_name", p.first)
	d.set("customer.last_name", p.last)
	d.set("billing_address.name", p.name())
	d.set("total_price", fmt.Sprintf("%d.%02d", g.cents()/100, g.rnd.IntN(100)))
	e.Ops = []Op{personOp(p, "buyer", "Contacts"),
		{ID: "order_deal", Module: "Deals", Key: dealKey("Shopify_Order_ID", strconv.FormatInt(order, 10)),
			Fields: map[string]string{"Deal_Name": p.last}, Refs: map[string]string{"Contact_Name": "buyer"}}}
	return pl
}

// Typeform answers by position in the sample: 0 first name, 1 last name,
// 2 e-mail, 7 budget.
const (
	tfFirst  = 0
	tfLast   = 1
	tfEmail  = 2
	tfBudget = 7
)

// typeform: a response is one Lead; a budget outside the Budget picklist
// is refused by Zoho (INVALID_DATA).
func (g *Generator) typeform(e *Event, d *doc) *Payload {
	e.ID = fmt.Sprintf("01JCHAOS%s%012d", g.tag, e.Seq)
	p := g.ppl.next("typeform")
	d.set("event_id", e.ID)
	d.set("form_response.token", e.ID)
	d.set("form_response.answers."+strconv.Itoa(tfFirst)+".text", p.first)
	d.set("form_response.answers."+strconv.Itoa(tfLast)+".text", p.last)
	d.set("form_response.answers."+strconv.Itoa(tfEmail)+".email", p.email)
	budget := []string{"< $1k", "$1k – $10k"}[g.rnd.IntN(2)]
	if e.Kind == TypeformBadBudget {
		budget, e.DeadCode, e.DeadOp = "$10k – $50k", "INVALID_DATA", "lead"
	}
	d.set("form_response.answers."+strconv.Itoa(tfBudget)+".choice.label", budget)
	e.Ops = []Op{personOp(p, "lead", "Leads")}
	return &Payload{Source: "typeform", Headers: map[string]string{
		"Content-Type": "application/json", "User-Agent": "Typeform Webhooks"}}
}

// calendly: a booking is one Lead keyed by the invitee's uri. Calendly
// sends no event id: ingest builds it from the event name, the invitee uri
// and created_at.
func (g *Generator) calendly(e *Event, d *doc) *Payload {
	p := g.ppl.next("calendly")
	uri := fmt.Sprintf("https://api.calendly.com/scheduled_events/CHAOS%s/invitees/INV%d", g.tag, e.Seq)
	created := epoch.Add(time.Duration(e.Seq) * time.Second).Format("2006-01-02T15:04:05.000000Z")
	d.set("created_at", created)
	d.set("payload.uri", uri)
	d.set("payload.email", p.email)
	d.set("payload.first_name", p.first)
	d.set("payload.last_name", p.last)
	d.set("payload.name", p.name())
	e.ID = "invitee.created " + uri + " " + created
	e.Ops = []Op{personOp(p, "lead", "Leads")}
	return &Payload{Source: "calendly", Headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}}
}
