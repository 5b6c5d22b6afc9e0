package mapping

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// Shopify signs the body, not the topic header: a signed body re-posted
// under another topic must match no route of the shipped config, not a
// wrong one (a customer mapped as an order, an order as a customer).
func TestShopifyRoutesCheckTheBodyNotOnlyTheTopic(t *testing.T) {
	m := defaultMapper(t)
	root := repoRoot(t)
	cases := []struct{ file, topic string }{
		{"customers-create.json", "orders/create"},
		{"orders-create.json", "customers/create"},
	}
	for _, c := range cases {
		body, err := os.ReadFile(filepath.Join(root, "testdata", "webhooks", "shopify", c.file))
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set("X-Shopify-Topic", c.topic)
		s := sample{source: "shopify", body: body, headers: h, contentType: "application/json"}
		env := envelopeFor(s, "swapped")
		ops, err := m.Map(env, body)
		if err != nil || len(ops) != 0 {
			t.Errorf("%s under topic %s: %d operations, err %v; want none", c.file, c.topic, len(ops), err)
		}
	}
}
