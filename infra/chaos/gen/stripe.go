package gen

import "fmt"

// Stripe events carry their id in the body and a timestamped signature.

func (g *Generator) stripeEvent(e *Event, d *doc, what string) {
	e.ID = fmt.Sprintf("evt_chaos%s_%s_%d", g.tag, what, e.Seq)
	d.set("id", e.ID)
	d.set("created", num(epoch.Unix()+int64(e.Seq)))
}

// personOp is the Contact or Lead of p.
func personOp(p person, id, module string) Op {
	return Op{ID: id, Module: module, Key: emailKey(module, p.email), Fields: map[string]string{"Last_Name": p.last}}
}

func stripePayload() *Payload {
	return &Payload{Source: "stripe", Headers: map[string]string{
		"Content-Type": "application/json; charset=utf-8",
		"User-Agent":   "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
	}}
}

// stripeCustomer: a new customer is one Contact; one without name or
// e-mail has no Last_Name and fails the mapping as a whole.
func (g *Generator) stripeCustomer(e *Event, d *doc) *Payload {
	g.stripeEvent(e, d, "cus")
	if e.Kind == StripeNoName {
		d.set("data.object.id", fmt.Sprintf("cus_chaos%s_anon%d", g.tag, e.Seq))
		e.DeadCode = "MAPPING_EMPTY_FIELD"
		return stripePayload()
	}
	p := g.ppl.next("stripe")
	g.stripePool = append(g.stripePool, p)
	d.set("data.object.id", p.stripeID)
	d.set("data.object.email", p.email)
	d.set("data.object.name", p.name())
	sources := []string{"Website", "Partner", "Referral", "Ads", "Podcast"}
	d.set("data.object.metadata.crm_lead_source", sources[g.rnd.IntN(len(sources))])
	e.Ops = []Op{personOp(p, "contact", "Contacts")}
	return stripePayload()
}

// stripeCheckout: a paid checkout is an optional Account (the company
// custom field), the buyer's Contact and a Deal keyed by the session id.
func (g *Generator) stripeCheckout(e *Event, d *doc) *Payload {
	g.stripeEvent(e, d, "cs")
	p := g.customer(&g.stripePool, "stripe")
	session := fmt.Sprintf("cs_test_chaos%s_%d", g.tag, e.Seq)
	amount := g.cents()
	d.set("data.object.id", session)
	d.set("data.object.customer", p.stripeID)
	d.set("data.object.customer_details.email", p.email)
	d.set("data.object.customer_details.name", p.name())
	d.set("data.object.amount_subtotal", num(amount))
	d.set("data.object.amount_total", num(amount))
	currencies := []string{"usd", "eur", "gbp"}
	d.set("data.object.currency", currencies[g.rnd.IntN(len(currencies))])
	buyer := personOp(p, "buyer", "Contacts")
	deal := Op{ID: "checkout_deal", Module: "Deals", Key: dealKey("Stripe_Checkout_Session_ID", session),
		Fields: map[string]string{"Deal_Name": p.last}, Refs: map[string]string{"Contact_Name": "buyer"}}
	if g.rnd.IntN(100) < 60 {
		company := g.ppl.company()
		d.set("data.object.custom_fields.0.text.value", company)
		e.Ops = append(e.Ops, Op{ID: "account", Module: "Accounts", Key: accountKey(company)})
		buyer.Refs = map[string]string{"Account_Name": "account"}
		deal.Refs["Account_Name"] = "account"
	} else {
		d.set("data.object.custom_fields.0.text.value", nil)
	}
	e.Ops = append(e.Ops, buyer, deal)
	return stripePayload()
}

// stripeInvoice: a paid invoice is the customer's Contact and a Deal keyed
// by the invoice id.
func (g *Generator) stripeInvoice(e *Event, d *doc) *Payload {
	g.stripeEvent(e, d, "in")
	p := g.customer(&g.stripePool, "stripe")
	invoice := fmt.Sprintf("in_chaos%s_%d", g.tag, e.Seq)
	amount := g.cents()
	d.set("data.object.id", invoice)
	d.set("data.object.number", fmt.Sprintf("CHAOS%s-%d", g.tag, e.Seq))
	d.set("data.object.customer", p.stripeID)
	d.set("data.object.customer_email", p.email)
	d.set("data.object.customer_name", p.name())
	d.set("data.object.amount_paid", num(amount))
	d.set("data.object.amount_due", num(amount))
	d.set("data.object.subscription_details.metadata.crm_deal_name", nil)
	e.Ops = []Op{personOp(p, "customer", "Contacts"),
		{ID: "invoice_deal", Module: "Deals", Key: dealKey("Stripe_Invoice_ID", invoice),
			Fields: map[string]string{"Deal_Name": p.last}, Refs: map[string]string{"Contact_Name": "customer"}}}
	return stripePayload()
}
