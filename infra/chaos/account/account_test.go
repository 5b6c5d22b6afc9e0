package account

import (
	"strconv"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/infra/chaos/gen"
)

// A checkout with a Contact and a Deal, a Typeform lead built to fail and
// a Stripe customer built to fail its mapping.
var (
	checkout = &gen.Event{ID: "evt_1", Kind: gen.StripeCheckout, Ops: []gen.Op{
		{ID: "buyer", Module: "Contacts", Key: "Contacts|Email=a@example.com", Fields: map[string]string{"Last_Name": "Lovelace-1"}},
		{ID: "checkout_deal", Module: "Deals", Key: "Deals|Stripe_Checkout_Session_ID=cs_1",
			Fields: map[string]string{"Deal_Name": "Lovelace-1"}, Refs: map[string]string{"Contact_Name": "buyer"}}}}
	badLead = &gen.Event{ID: "tf_1", Kind: gen.TypeformBadBudget, DeadCode: "INVALID_DATA", DeadOp: "lead",
		Ops: []gen.Op{{ID: "lead", Module: "Leads", Key: "Leads|Email=l@example.com"}}}
	noName = &gen.Event{ID: "evt_2", Kind: gen.StripeNoName, DeadCode: "MAPPING_EMPTY_FIELD"}
)

func contact(email string) map[string]any {
	return map[string]any{"id": "c-" + email, "Email": email, "Last_Name": "Lovelace-1"}
}

func deal(id string) map[string]any {
	return map[string]any{"id": "d-" + id, "Stripe_Checkout_Session_ID": id, "Deal_Name": "Ada Lovelace-1 – Stripe checkout",
		"Contact_Name": map[string]any{"id": "c-a@example.com"}}
}

// world is a run where everything went right.
func world() Inputs {
	return Inputs{
		Events: []*gen.Event{checkout, badLead, noName},
		Records: map[string][]map[string]any{
			"Contacts": {contact("a@example.com")},
			"Deals":    {deal("cs_1")},
		},
		DeadLetters: []DeadLetter{
			{EventID: "tf_1", Op: "lead", Code: "INVALID_DATA", Attempts: 1},
			{EventID: "evt_2", Code: "MAPPING_EMPTY_FIELD", Attempts: 1},
		},
		Done: map[OpRef]bool{{"evt_1", "buyer"}: true, {"evt_1", "checkout_deal"}: true},
		Wire: func(key string) map[string]int {
			return map[string]map[string]int{
				"Contacts|Email=a@example.com": {"SUCCESS": 1, "RECORD_LOCKED": 2, "INVALID_DATA": 1},
				"Leads|Email=l@example.com":    {"INVALID_DATA": 1},
			}[key]
		},
		MaxAttempts: 5,
	}
}

func TestAccount(t *testing.T) {
	cases := []struct {
		name   string
		change func(in *Inputs)
		check  func(r *Report) string
	}{
		{"all accounted", func(*Inputs) {}, func(r *Report) string {
			if !r.OK() || r.Expected != 2 || r.Found != 2 || r.Designed != 2 || r.Dead() != 2 || r.Ops != 3 {
				return "want OK, 2 expected and found, 2 designed dead letters, 3 operations"
			}
			return ""
		}},
		{"record missing", func(in *Inputs) { in.Records["Deals"] = nil }, want(func(r *Report) int { return r.Lost }, 1, "lost")},
		{"record twice", func(in *Inputs) { in.Records["Deals"] = append(in.Records["Deals"], deal("cs_1")) },
			want(func(r *Report) int { return r.Duplicated }, 1, "duplicated")},
		{"injected code", func(in *Inputs) {
			in.Records["Contacts"], in.Records["Deals"] = nil, nil
			in.DeadLetters = append(in.DeadLetters,
				DeadLetter{EventID: "evt_1", Op: "buyer", Code: "INVALID_DATA", Attempts: 1},
				DeadLetter{EventID: "evt_1", Op: "checkout_deal", Code: "DEPENDENCY_FAILED", Attempts: 1})
		}, func(r *Report) string {
			if !r.OK() || r.DeadByCode["INVALID_DATA"] != 2 || r.DeadByCode["DEPENDENCY_FAILED"] != 1 {
				return "want OK with two INVALID_DATA dead letters and one DEPENDENCY_FAILED"
			}
			return ""
		}},
		{"code never answered", func(in *Inputs) {
			in.DeadLetters = append(in.DeadLetters, DeadLetter{EventID: "evt_1", Op: "checkout_deal", Code: "DUPLICATE_DATA", Attempts: 1})
		}, want(func(r *Report) int { return r.WrongReason }, 1, "never answered")},
		{"retryable code given up early", func(in *Inputs) {
			in.DeadLetters = append(in.DeadLetters, DeadLetter{EventID: "evt_1", Op: "buyer", Code: "RECORD_LOCKED", Attempts: 2})
		}, want(func(r *Report) int { return r.WrongReason }, 1, "retry budget")},
		{"retryable code after the budget", func(in *Inputs) {
			in.DeadLetters = append(in.DeadLetters, DeadLetter{EventID: "evt_1", Op: "buyer", Code: "RECORD_LOCKED", Attempts: 5})
		}, want(func(r *Report) int { return r.WrongReason }, 0, "")},
		{"dependency of a dead operation", func(in *Inputs) {
			in.DeadLetters = append(in.DeadLetters,
				DeadLetter{EventID: "evt_1", Op: "buyer", Code: "INVALID_DATA", Attempts: 1},
				DeadLetter{EventID: "evt_1", Op: "checkout_deal", Code: "DEPENDENCY_FAILED", Attempts: 1})
		}, want(func(r *Report) int { return r.WrongReason }, 0, "")},
		{"dependency failed alone", func(in *Inputs) {
			in.DeadLetters = append(in.DeadLetters, DeadLetter{EventID: "evt_1", Op: "checkout_deal", Code: "DEPENDENCY_FAILED", Attempts: 1})
		}, want(func(r *Report) int { return r.WrongReason }, 1, "no other operation")},
		{"composite sub blamed on a dead sibling", func(in *Inputs) {
			in.DeadLetters = append(in.DeadLetters,
				DeadLetter{EventID: "evt_1", Op: "buyer", Code: "INVALID_DATA", Attempts: 1},
				DeadLetter{EventID: "evt_1", Op: "checkout_deal", Code: "INVALID_REFERENCE", Attempts: 1})
		}, want(func(r *Report) int { return r.WrongReason }, 0, "")},
		{"composite sub given up while its sibling lives", func(in *Inputs) {
			in.Wire = func(string) map[string]int { return map[string]int{"INVALID_REFERENCE": 1} }
			in.DeadLetters = append(in.DeadLetters, DeadLetter{EventID: "evt_1", Op: "checkout_deal", Code: "INVALID_REFERENCE", Attempts: 1})
		}, want(func(r *Report) int { return r.WrongReason }, 1, "retry budget")},
		{"mapping failure not dead-lettered", func(in *Inputs) { in.DeadLetters = in.DeadLetters[:1] },
			want(func(r *Report) int { return r.Lost }, 1, "want MAPPING_EMPTY_FIELD")},
		{"mapping failure with another code", func(in *Inputs) { in.DeadLetters[1].Code = "MAPPING_BAD_BODY" },
			want(func(r *Report) int { return r.WrongReason }, 1, "want MAPPING_EMPTY_FIELD")},
		{"built to fail but written", func(in *Inputs) {
			in.DeadLetters = in.DeadLetters[1:]
			in.Records["Leads"] = []map[string]any{contact("l@example.com")}
		}, want(func(r *Report) int { return r.Missed }, 1, "built to fail")},
		{"written but never reported", func(in *Inputs) { delete(in.Done, OpRef{"evt_1", "buyer"}) },
			want(func(r *Report) int { return r.Unconfirmed }, 1, "never reported")},
		{"record with another record's values", func(in *Inputs) { in.Records["Contacts"][0]["Last_Name"] = "Hopper-2" },
			want(func(r *Report) int { return r.Corrupt }, 1, "want it to contain")},
		{"deal linked to another contact", func(in *Inputs) {
			in.Records["Deals"][0]["Contact_Name"] = map[string]any{"id": "c-z@example.com"}
		}, want(func(r *Report) int { return r.Corrupt }, 1, "points at record")},
		{"deal written without its contact", func(in *Inputs) {
			in.Records["Contacts"] = nil
			in.DeadLetters = append(in.DeadLetters, DeadLetter{EventID: "evt_1", Op: "buyer", Code: "INVALID_DATA", Attempts: 1})
		}, want(func(r *Report) int { return r.Corrupt }, 1, "is not in Zoho")},
		{"shared contact keeps another event's link", func(in *Inputs) {
			second := &gen.Event{ID: "evt_3", Kind: gen.StripeCheckout, Ops: []gen.Op{
				{ID: "buyer", Module: "Contacts", Key: "Contacts|Email=a@example.com", Refs: map[string]string{"Account_Name": "account"}},
				{ID: "account", Module: "Accounts", Key: "Accounts|Account_Name=X"}}}
			in.Events = append(in.Events, second)
			in.Records["Accounts"] = []map[string]any{{"id": "acc-x", "Account_Name": "X"}}
			in.Records["Contacts"][0]["Account_Name"] = map[string]any{"id": "acc-x"}
			in.Done[OpRef{"evt_3", "buyer"}], in.Done[OpRef{"evt_3", "account"}] = true, true
		}, want(func(r *Report) int { return r.Corrupt }, 0, "")},
		{"shared contact linked to a stranger", func(in *Inputs) {
			second := &gen.Event{ID: "evt_3", Kind: gen.StripeCheckout, Ops: []gen.Op{
				{ID: "buyer", Module: "Contacts", Key: "Contacts|Email=a@example.com", Refs: map[string]string{"Account_Name": "account"}},
				{ID: "account", Module: "Accounts", Key: "Accounts|Account_Name=X"}}}
			in.Events = append(in.Events, second)
			in.Records["Accounts"] = []map[string]any{{"id": "acc-x", "Account_Name": "X"}}
			in.Records["Contacts"][0]["Account_Name"] = map[string]any{"id": "acc-stranger"}
			in.Done[OpRef{"evt_3", "buyer"}], in.Done[OpRef{"evt_3", "account"}] = true, true
		}, want(func(r *Report) int { return r.Corrupt }, 1, "none of its events referred to")},
		{"dead letter for nothing", func(in *Inputs) {
			in.DeadLetters = append(in.DeadLetters, DeadLetter{EventID: "evt_9", Op: "x", Code: "INVALID_DATA"})
		}, want(func(r *Report) int { return r.Unexpected }, 1, "matches no generated operation")},
		{"record of nobody", func(in *Inputs) {
			in.Records["Contacts"] = append(in.Records["Contacts"], contact("z@example.com"), map[string]any{"Last_Name": "y"})
		}, want(func(r *Report) int { return r.Phantom }, 2, "belongs to no generated event")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := world()
			c.change(&in)
			r := Account(in)
			if msg := c.check(r); msg != "" {
				t.Errorf("%s; got %+v", msg, *r)
			}
		})
	}
}

// want checks one count and, when a problem is expected, that one is
// described with text in it.
func want(count func(*Report) int, n int, text string) func(*Report) string {
	return func(r *Report) string {
		if got := count(r); got != n {
			return "count = " + strconv.Itoa(got) + ", want " + strconv.Itoa(n)
		}
		if n > 0 && r.OK() {
			return "OK() is true with a problem"
		}
		if text != "" && !strings.Contains(strings.Join(r.Problems, "\n"), text) {
			return "no problem line mentions " + text
		}
		return ""
	}
}
