package zoho

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

// seen is one request a fake Zoho received.
type seen struct {
	Method, Path string
	Header       http.Header
	Body         string
}

// fakeZoho answers every request with one status, body and header set, and
// records what it received.
type fakeZoho struct {
	status int
	body   []byte
	header map[string]string
	delay  time.Duration

	mu   sync.Mutex
	reqs []seen
}

func (f *fakeZoho) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, seen{r.Method, r.URL.Path, r.Header.Clone(), string(b)})
	f.mu.Unlock()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range f.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(f.status)
	_, _ = w.Write(f.body)
}

func (f *fakeZoho) last(t *testing.T) seen {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.reqs) == 0 {
		t.Fatal("no request reached the fake")
	}
	return f.reqs[len(f.reqs)-1]
}

// serve starts f on loopback and returns a client and a token for it.
func serve(t *testing.T, f *fakeZoho, opts ...Option) (*Client, core.Token) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.Client(), opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, core.Token{Access: "1000.test-access", APIDomain: srv.URL}
}

// repoPath returns the path of a repository file: rel below the directory
// holding go.mod.
func repoPath(t testing.TB, rel string) string {
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
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// repoFile reads a repository file.
func repoFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(repoPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// upsertContacts is an upsert batch of n Contacts matched on Email.
func upsertContacts(n int) *core.Call {
	c := &core.Call{Kind: core.Batch, Org: "acme", Module: "Contacts", Action: core.Upsert, Match: []string{"Email"}}
	for i := range n {
		c.Records = append(c.Records, &core.Operation{ID: "contact", Module: "Contacts", Action: core.Upsert,
			Match: []string{"Email"}, Fields: map[string]any{"Email": string(rune('a'+i)) + "@example.com", "Last_Name": "Doe"}})
	}
	return c
}

// inserts is an insert batch of n Leads.
func inserts(n int) *core.Call {
	c := &core.Call{Kind: core.Batch, Org: "acme", Module: "Leads", Action: core.Insert}
	for range n {
		c.Records = append(c.Records, &core.Operation{ID: "lead", Module: "Leads", Action: core.Insert,
			Fields: map[string]any{"Last_Name": "Doe"}})
	}
	return c
}

// chain is a composite: a contact upsert and a deal insert referring to it.
func chain() *core.Call {
	con := &core.Operation{ID: "contact", Module: "Contacts", Action: core.Upsert, Match: []string{"Email"},
		Fields: map[string]any{"Email": "ada@example.com", "Last_Name": "Lovelace"}}
	deal := &core.Operation{ID: "deal", Module: "Deals", Action: core.Insert, Trigger: []string{},
		Fields: map[string]any{"Deal_Name": "Order 1", "Stage": "Closed Won"},
		Refs:   []core.Ref{{Field: "Contact_Name", Op: "contact"}}}
	return &core.Call{Kind: core.Composite, Org: "acme", Subs: []core.Sub{
		{ID: "contact_0", Op: con},
		{ID: "deal_1", Op: deal, Refs: map[string]string{"Contact_Name": "contact_0"}},
	}}
}
