package ingest

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type sampleFile struct {
	Deliveries []struct {
		Name     string            `json:"name"`
		BodyFile string            `json:"body_file"`
		Receive  int64             `json:"receive_unix"`
		Headers  map[string]string `json:"headers"`
		Expected string            `json:"expected_outcome"`
	} `json:"deliveries"`
}

// sampleWant is each sample delivery's answer through the handler, in file
// order (a redelivery follows the delivery it repeats).
var sampleWant = map[string]struct {
	status int
	code   string
}{
	"stripe/signed-customer.created.json":                    {202, ""},
	"stripe/signed-customer.created-null-name-no-email.json": {202, ""},
	"stripe/signed-customer.created-unicode-name.json":       {202, ""},
	"stripe/signed-checkout.session.completed.json":          {202, ""},
	"stripe/signed-invoice.paid.json":                        {202, ""},
	"stripe/duplicate-redelivery-of-invoice.paid":            {200, ""},
	"stripe/stale-timestamp":                                 {401, "timestamp_outside_tolerance"},
	"stripe/secret-rotation-two-v1-plus-v0":                  {200, ""}, // customer.created, stored above
	"stripe/wrong-secret-only":                               {401, "signature_mismatch"},
	"stripe/header-missing":                                  {401, "signature_header_missing"},
	"shopify/customers-create":                               {202, ""},
	"shopify/customers-create-2025-01-shape":                 {202, ""},
	"shopify/orders-create":                                  {202, ""},
	"shopify/orders-create-retry-same-ids":                   {200, ""},
	"shopify/orders-create-large":                            {202, ""},
	"shopify/hex-instead-of-base64":                          {401, "signature_malformed"},
	"typeform/form_response.json":                            {202, ""},
	"typeform/prefix-missing":                                {401, "signature_malformed"},
	"calendly/invitee.created.json":                          {202, ""},
	"calendly/invitee.canceled-rescheduled.json":             {202, ""},
	"calendly/invitee.created-rescheduled-name-only.json":    {202, ""},
	"calendly/stale-4-minutes":                               {401, "timestamp_outside_tolerance"},
}

// TestSampleDeliveries sends every testdata/webhooks delivery through the
// handler at its receive_unix clock, once as an HTTP API and once as a
// Function URL would, and checks the answer and what was enqueued.
func TestSampleDeliveries(t *testing.T) {
	for _, style := range []string{"http-api", "function-url"} {
		t.Run(style, func(t *testing.T) {
			seen := 0
			for _, sender := range []string{"stripe", "shopify", "typeform", "calendly"} {
				seen += runSamples(t, style, sender)
			}
			if seen != len(sampleWant) {
				t.Errorf("ran %d sample deliveries, sampleWant lists %d", seen, len(sampleWant))
			}
		})
	}
}

func runSamples(t *testing.T, style, sender string) int {
	dir := filepath.Join(repoRoot(t), "testdata", "webhooks", sender)
	raw, err := os.ReadFile(filepath.Join(dir, "deliveries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sf sampleFile
	if err := json.Unmarshal(raw, &sf); err != nil {
		t.Fatal(err)
	}
	r := newRig(t)
	for _, d := range sf.Deliveries {
		name := sender + "/" + d.Name
		want, ok := sampleWant[name]
		if !ok {
			t.Errorf("%s: no expected answer listed (%s)", name, d.Expected)
			continue
		}
		if accept := strings.HasPrefix(d.Expected, "accept"); accept != (want.status < 300) {
			t.Errorf("%s: listed %d contradicts %q", name, want.status, d.Expected)
		}
		body, err := os.ReadFile(filepath.Join(dir, d.BodyFile))
		if err != nil {
			t.Fatal(err)
		}
		r.now = time.Unix(d.Receive, 0)
		if d.Receive == 0 {
			r.now = time.Now()
		}
		req := post(sender, d.Headers, string(body))
		if style == "function-url" {
			req = functionURL(req, "/hooks/"+sender)
		}
		before := r.queue.len()
		resp := r.do(t, req)
		got := decodeReply(t, resp)
		if resp.StatusCode != want.status || got.Error != want.code {
			t.Errorf("%s: got %d %q (%s), want %d %q", name, resp.StatusCode, got.Error, got.Message, want.status, want.code)
		}
		wantSent := 0
		if want.status == http.StatusAccepted {
			wantSent = 1
		}
		if n := r.queue.len() - before; n != wantSent {
			t.Errorf("%s: enqueued %d, want %d", name, n, wantSent)
		}
		if wantSent == 1 {
			env := r.queue.sent[len(r.queue.sent)-1]
			if b, err := env.RawBody(); err != nil || string(b) != string(body) {
				t.Errorf("%s: enqueued body differs from the bytes received (%v)", name, err)
			}
		}
	}
	return len(sf.Deliveries)
}
