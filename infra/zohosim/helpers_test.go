package zohosim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	testClientID     = "1000.TESTCLIENT"
	testClientSecret = "test-secret"
)

// harness is a started simulator with one registered client and an access
// token for the "us" data centre.
type harness struct {
	t     testing.TB
	sim   *Sim
	srv   *Server
	dc    string
	token string
	http  *http.Client
}

func mustNew(t testing.TB, cfg Config) *Sim {
	t.Helper()
	sim, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return sim
}

func newHarness(t testing.TB, cfg Config) *harness {
	t.Helper()
	if cfg.DataCenters == nil {
		cfg.DataCenters = []string{"us", "eu"}
	}
	if cfg.SchemaFiles == nil {
		cfg.SchemaFiles = []string{filepath.Join("testdata", "custom-fields.json")}
	}
	sim := mustNew(t, cfg)
	srv, err := sim.Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	h := &harness{t: t, sim: sim, srv: srv, dc: "us", http: &http.Client{Timeout: 30 * time.Second}}
	for _, dc := range cfg.DataCenters {
		if err := sim.AddClient(dc, testClientID, testClientSecret); err != nil {
			t.Fatalf("AddClient: %v", err)
		}
	}
	h.token = h.mint("us")
	return h
}

// mint gets an access token for dc through the token endpoint.
func (h *harness) mint(dc string) string {
	h.t.Helper()
	refresh := h.sim.SeedRefreshToken(dc, testClientID)
	_, body := h.tokenCall(dc, url.Values{"grant_type": {"refresh_token"}, "client_id": {testClientID},
		"client_secret": {testClientSecret}, "refresh_token": {refresh}})
	tok, _ := body["access_token"].(string)
	if tok == "" {
		h.t.Fatalf("mint: no access_token in %v", body)
	}
	return tok
}

func (h *harness) tokenCall(dc string, form url.Values) (int, map[string]any) {
	h.t.Helper()
	resp, err := h.http.PostForm(h.srv.AccountsURL(dc)+"/oauth/v2/token", form)
	if err != nil {
		h.t.Fatalf("token call: %v", err)
	}
	return decodeResponse(h.t, resp)
}

// call sends a JSON API call with the harness token on its data centre.
func (h *harness) call(method, path string, body any) (int, map[string]any) {
	h.t.Helper()
	status, _, out := h.callWith(h.dc, "Zoho-oauthtoken "+h.token, method, path, body, nil)
	return status, out
}

func (h *harness) callWith(dc, auth, method, path string, body any, hdr map[string]string) (int, http.Header, map[string]any) {
	h.t.Helper()
	req := h.request(context.Background(), dc, auth, method, path, body)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := h.http.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	status, out := decodeResponse(h.t, resp)
	return status, resp.Header, out
}

func (h *harness) request(ctx context.Context, dc, auth, method, path string, body any) *http.Request {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatalf("marshal: %v", err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.srv.APIURL(dc)+path, rd)
	if err != nil {
		h.t.Fatalf("request: %v", err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

func decodeResponse(t testing.TB, resp *http.Response) (int, map[string]any) {
	t.Helper()
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	out := map[string]any{}
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&out); err != nil {
			t.Fatalf("decode %q: %v", raw, err)
		}
	}
	return resp.StatusCode, out
}

// data returns the data[] items of a write answer.
func data(t testing.TB, body map[string]any) []map[string]any {
	t.Helper()
	arr, ok := body["data"].([]any)
	if !ok {
		t.Fatalf("no data[] in %v", body)
	}
	out := make([]map[string]any, len(arr))
	for i, v := range arr {
		out[i], _ = v.(map[string]any)
	}
	return out
}

func codes(t testing.TB, body map[string]any) []string {
	t.Helper()
	var out []string
	for _, item := range data(t, body) {
		c, _ := item["code"].(string)
		out = append(out, c)
	}
	return out
}

func detail(item map[string]any, key string) any {
	d, _ := item["details"].(map[string]any)
	return d[key]
}

func records(recs ...map[string]any) map[string]any {
	arr := make([]any, len(recs))
	for i, r := range recs {
		arr[i] = r
	}
	return map[string]any{"data": arr}
}

// repoFile finds a file relative to the repository root (the folder with
// go.mod).
func repoFile(t *testing.T, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// t0 is a fixed start time; tests move on with Sim.Advance.
const time1h = time.Hour

var t0 = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return t0 }
