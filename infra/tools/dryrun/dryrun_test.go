package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
		want     string
	}{
		{"maps a sample", []string{"-config", "../../../config/zohosync.yaml", "-source", "stripe",
			"../../../testdata/webhooks/stripe/customer.created.json"}, "", 0, `"Stripe_Customer_ID": "cus_QzExampleAda0001"`},
		{"shopify order id stays exact", []string{"-config", "../../../config/zohosync.yaml", "-source", "shopify",
			"-header", "X-Shopify-Topic: orders/create", "../../../testdata/webhooks/shopify/orders-create.json"}, "", 0,
			`"Shopify_Order_ID": "7300000000000000123"`},
		{"mapping error from stdin", []string{"-config", "../../../config/zohosync.yaml", "-source", "stripe", "-"},
			`{"type":"customer.created","data":{"object":{"name":"Ada"}}}`, 1, `"code": "MAPPING_NO_MATCH_KEY"`},
		{"usage", []string{"-source", "stripe"}, "", 2, "usage: dryrun"},
		{"bad config", []string{"-config", "nope.yaml", "-source", "stripe", "-"}, "{}", 1, "read config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.stdin), &out, &errOut)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.wantCode, errOut.String())
			}
			if got := out.String() + errOut.String(); !strings.Contains(got, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, got)
			}
		})
	}
}
