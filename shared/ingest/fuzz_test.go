package ingest

import (
	"encoding/json"
	"testing"
)

// FuzzHandleRequest sends arbitrary requests through the handler with
// working fakes: it never returns an error or a 5xx, every answer is one
// of the documented JSON bodies, and only a 202 enqueues (exactly once).
func FuzzHandleRequest(f *testing.F) {
	f.Add("/hooks/stripe", "POST", "application/json", "t=1735736500,v1=00", customerBody, false)
	f.Add("/hooks/plain", "POST", "text/plain", "", "hello", false)
	f.Add("/hooks/plain/", "POST", "application/x-www-form-urlencoded", "", "a=%zz", false)
	f.Add("/hooks/small", "POST", "application/json", "", "eyJhIjoxfQ==", true)
	f.Add("/x/hooks/forms", "PUT", "", sharedKey, "", false)
	r := newRig(f)
	r.ids.fixed = ""
	f.Fuzz(func(t *testing.T, path, method, contentType, sig, body string, b64 bool) {
		req := functionURL(post("stripe", map[string]string{
			"content-type": contentType, "stripe-signature": sig, "x-shared-key": sig,
		}, body), path)
		req.RequestContext.HTTP.Method = method
		req.IsBase64Encoded = b64
		before := r.queue.len()
		resp, err := r.h.Handle(t.Context(), req)
		if err != nil {
			t.Fatalf("Handle error: %v", err)
		}
		var got reply
		if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
			t.Fatalf("body %q is not JSON: %v", resp.Body, err)
		}
		sent := r.queue.len() - before
		switch {
		case resp.StatusCode == 202:
			if sent != 1 || got.Status != "accepted" || got.EventID == "" {
				t.Fatalf("202 with %d sent, body %s", sent, resp.Body)
			}
		case resp.StatusCode == 200:
			if sent != 0 || got.Status != "duplicate" {
				t.Fatalf("200 with %d sent, body %s", sent, resp.Body)
			}
		case resp.StatusCode >= 400 && resp.StatusCode < 500:
			if sent != 0 || got.Error == "" || got.Message == "" {
				t.Fatalf("%d with %d sent, body %s", resp.StatusCode, sent, resp.Body)
			}
		default:
			t.Fatalf("status %d for %q %q: %s", resp.StatusCode, method, path, resp.Body)
		}
	})
}
