package naive

import (
	"context"
	"github.com/zohosync/zohosync/infra/local/emu"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/bench/stream"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/mapping"
)

// repoRoot is the repository root (the folder with go.mod).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// mapped generates n events of mix and maps them with the shipped config.
func mapped(t *testing.T, root string, mix []stream.Weighted, n int) [][]core.Operation {
	t.Helper()
	cfg, err := config.Load(filepath.Join(root, "config", "zohosync.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mapping.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g, err := stream.New(root, stream.Config{Mix: mix, Seed: 5, Tag: "n", RepeatCustomer: 0.5, CompanyShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]core.Operation
	for i := range n {
		e, err := g.Next()
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		lower := map[string]string{}
		for k, v := range e.Headers {
			h.Set(k, v)
			lower[strings.ToLower(k)] = v
		}
		id, err := m.EventID(e.Source, h, e.Body, lower["content-type"])
		if err != nil {
			t.Fatal(err)
		}
		env := &core.Envelope{V: core.EnvelopeVersion, Source: e.Source, EventID: id, Org: "acme",
			ReceivedAt: time.Now(), ContentType: lower["content-type"], Headers: lower}
		env.SetBody(e.Body)
		ops, err := m.Map(env, e.Body)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		out = append(out, ops)
	}
	return out
}

// TestRunAgainstSimulator sends mapped events, chains included, to the
// simulator: one call and one credit per event, every record written.
func TestRunAgainstSimulator(t *testing.T) {
	root := repoRoot(t)
	events := mapped(t, root, []stream.Weighted{{Kind: stream.StripeCustomer, Weight: 2}, {Kind: stream.StripeCheckout, Weight: 2},
		{Kind: stream.TypeformLead, Weight: 1}, {Kind: stream.ShopifyOrder, Weight: 1}, {Kind: stream.CalendlyBooking, Weight: 1}}, 120)
	sim, err := zohosim.New(zohosim.Config{Edition: "enterprise", Users: 10, DataCenters: []string{"us"},
		SchemaFiles: []string{filepath.Join(root, "config", "zoho-custom-fields.json")}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := sim.AddClient("us", "naive-id", "naive-secret"); err != nil {
		t.Fatal(err)
	}
	refresh := sim.SeedRefreshToken("us", "naive-id")
	ctx := context.Background()
	tok, api, err := Login(ctx, http.DefaultClient, srv.AccountsURL("us"), "naive-id", "naive-secret", refresh)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Login(ctx, http.DefaultClient, srv.AccountsURL("us"), "naive-id", "wrong", refresh); err == nil {
		t.Error("Login with a wrong secret succeeded")
	}
	s := &Sender{APIURL: api, Token: tok, Units: 10}
	got, err := s.Run(ctx, events, 8)
	if err != nil {
		t.Fatal(err)
	}
	records, chains := 0, 0
	for _, ops := range events {
		records += len(ops)
		if len(ops) > 1 {
			chains++
		}
	}
	want := Stats{Events: 120, Calls: 120, Composites: chains, Records: records}
	if got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	st := sim.Stats()
	if st.CreditsSpent != 120 || st.RecordResults["SUCCESS"] != records || len(st.Refused) != 0 {
		t.Errorf("simulator: %d credits, %v record results, refused %v; want 120 credits, %d successes, none refused",
			st.CreditsSpent, st.RecordResults, st.Refused, records)
	}
	if st.MaxInFlight > 10 {
		t.Errorf("max in flight %d units, want at most the sender's 10", st.MaxInFlight)
	}
}

func TestRetriesThrottled(t *testing.T) {
	sim, err := zohosim.New(zohosim.Config{DataCenters: []string{"us"}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sim.AddClient("us", "c", "s")
	tok, api, err := Login(context.Background(), http.DefaultClient, srv.AccountsURL("us"), "c", "s", sim.SeedRefreshToken("us", "c"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddFault(zohosim.Fault{Endpoint: "upsert", Action: zohosim.FaultStatus, Status: 429, Count: 2}); err != nil {
		t.Fatal(err)
	}
	op := core.Operation{ID: "lead", Module: "Leads", Action: core.Upsert, Match: []string{"Email"},
		Fields: map[string]any{"Email": "a@example.com", "Last_Name": "A"}}
	s := &Sender{APIURL: api, Token: tok, RetryWait: time.Millisecond}
	got, err := s.Run(context.Background(), [][]core.Operation{{op}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Events: 1, Calls: 3, Records: 1, Throttled: 2}); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
}
