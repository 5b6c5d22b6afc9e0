package gen

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Record keys name a Zoho record by the field its upsert matches on:
// "Contacts|Email=a@example.com", "Deals|Shopify_Order_ID=7300…". E-mail
// keys are lower-cased, as Zoho matches e-mail addresses case-insensitively.

// dealKeyFields are the unique fields a Deal is keyed by, one per route.
var dealKeyFields = []string{"Stripe_Checkout_Session_ID", "Stripe_Invoice_ID", "Shopify_Order_ID"}

func emailKey(module, email string) string {
	return module + "|Email=" + strings.ToLower(email)
}

func dealKey(field, value string) string { return "Deals|" + field + "=" + value }

func accountKey(name string) string { return "Accounts|Account_Name=" + name }

// RecordKey returns the key of a record of module with these fields (as
// sent to Zoho or as the simulator stores them), and false when the record
// has none of its module's key fields.
func RecordKey(module string, fields map[string]any) (string, bool) {
	switch module {
	case "Contacts", "Leads":
		if s := text(fields["Email"]); s != "" {
			return emailKey(module, s), true
		}
	case "Deals":
		for _, f := range dealKeyFields {
			if s := text(fields[f]); s != "" {
				return dealKey(f, s), true
			}
		}
	case "Accounts":
		if s := text(fields["Account_Name"]); s != "" {
			return accountKey(s), true
		}
	}
	return "", false
}

// text renders a key value: strings as they are, numbers by their digits.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return fmt.Sprintf("%.0f", x)
	case int64:
		return fmt.Sprint(x)
	}
	return ""
}
