package stream

import (
	"bytes"
	"github.com/zohosync/zohosync/infra/local/emu"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/mapping"
	"github.com/zohosync/zohosync/shared/webhook"
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

var allKinds = []Weighted{{StripeCustomer, 3}, {StripeCheckout, 3}, {StripeInvoice, 1}, {ShopifyCustomer, 1},
	{ShopifyOrder, 1}, {TypeformLead, 2}, {CalendlyBooking, 1}}

// wantModules are the modules each kind writes with the shipped config.
var wantModules = map[Kind][][]string{
	StripeCustomer:  {{"Contacts"}},
	StripeCheckout:  {{"Contacts", "Deals"}, {"Accounts", "Contacts", "Deals"}},
	StripeInvoice:   {{"Contacts", "Deals"}},
	ShopifyCustomer: {{"Contacts"}},
	ShopifyOrder:    {{"Contacts", "Deals"}},
	TypeformLead:    {{"Leads"}},
	CalendlyBooking: {{"Leads"}},
}

// TestEventsVerifyAndMap signs every generated event, checks the signature
// with the real verifier and maps it with the shipped config: each event has
// its own id and writes the modules its kind should.
func TestEventsVerifyAndMap(t *testing.T) {
	root := repoRoot(t)
	cfg, err := config.Load(filepath.Join(root, "config", "zohosync.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mapping.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(root, Config{Mix: allKinds, Seed: 7, Tag: "t", RepeatCustomer: 0.5, CompanyShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	events, err := g.Take(300)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	seen := map[Kind]int{}
	now := time.Now()
	for _, e := range events {
		seen[e.Kind]++
		h, err := e.Sign(now)
		if err != nil {
			t.Fatal(err)
		}
		lower := map[string]string{}
		for k, v := range h {
			lower[strings.ToLower(k)] = v
		}
		src := cfg.Sources[e.Source]
		v, err := webhook.New(src.Verify, []string{e.secret})
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Verify(webhook.NewHeader(lower), e.Body, now); err != nil {
			t.Fatalf("event %d (%s) does not verify: %v", e.Seq, e.Kind, err)
		}
		hdr := http.Header{}
		for k, val := range h {
			hdr.Set(k, val)
		}
		id, err := m.EventID(e.Source, hdr, e.Body, lower["content-type"])
		if err != nil || ids[id] {
			t.Fatalf("event %d (%s): id %q, err %v (duplicate: %v)", e.Seq, e.Kind, id, err, ids[id])
		}
		ids[id] = true
		env := &core.Envelope{V: core.EnvelopeVersion, Source: e.Source, EventID: id, Org: src.Org,
			ReceivedAt: now, ContentType: lower["content-type"], Headers: lower}
		env.SetBody(e.Body)
		ops, err := m.Map(env, e.Body)
		if err != nil {
			t.Fatalf("event %d (%s) does not map: %v", e.Seq, e.Kind, err)
		}
		var mods []string
		for _, op := range ops {
			mods = append(mods, op.Module)
		}
		if !slices.ContainsFunc(wantModules[e.Kind], func(w []string) bool { return slices.Equal(w, mods) }) {
			t.Errorf("event %d (%s) writes %v, want one of %v", e.Seq, e.Kind, mods, wantModules[e.Kind])
		}
	}
	for _, w := range allKinds {
		if seen[w.Kind] == 0 {
			t.Errorf("no %s event in 300", w.Kind)
		}
	}
}

// TestRepeatCustomers checks that checkouts reuse recent customers'
// e-mail addresses (in some letter case) about as often as configured.
func TestRepeatCustomers(t *testing.T) {
	cases := []struct {
		name     string
		repeat   float64
		min, max int // repeats among 200 checkouts
	}{{"never", 0, 0, 0}, {"always", 1, 199, 200}, {"sixty percent", 0.6, 90, 150}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := New(repoRoot(t), Config{Mix: []Weighted{{StripeCustomer, 1}, {StripeCheckout, 1}}, Seed: 3,
				Tag: "r", RepeatCustomer: c.repeat})
			if err != nil {
				t.Fatal(err)
			}
			known := map[string]bool{}
			repeats, checkouts := 0, 0
			for checkouts < 200 {
				e, err := g.Next()
				if err != nil {
					t.Fatal(err)
				}
				email := strings.ToLower(field(t, e.Body, "email"))
				if e.Kind == StripeCheckout {
					checkouts++
					if known[email] {
						repeats++
					}
				}
				known[email] = true
			}
			if repeats < c.min || repeats > c.max {
				t.Errorf("%d of 200 checkouts by a known customer, want %d..%d", repeats, c.min, c.max)
			}
		})
	}
}

// field finds the first "<name>": "value" in a body (good enough for e-mails).
func field(t *testing.T, body []byte, name string) string {
	t.Helper()
	i := bytes.Index(body, []byte(`"`+name+`":"`))
	if i < 0 {
		t.Fatalf("no %s in %s", name, body)
	}
	rest := body[i+len(name)+4:]
	return string(rest[:bytes.IndexByte(rest, '"')])
}

func TestReproducible(t *testing.T) {
	root := repoRoot(t)
	take := func(seed uint64) []*Event {
		g, err := New(root, Config{Mix: allKinds, Seed: seed, Tag: "s", RepeatCustomer: 0.5, CompanyShare: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		es, err := g.Take(40)
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	a, b, c := take(1), take(1), take(2)
	same := func(x, y []*Event) bool {
		for i := range x {
			if !bytes.Equal(x[i].Body, y[i].Body) {
				return false
			}
		}
		return true
	}
	if !same(a, b) {
		t.Error("the same seed gave different streams")
	}
	if same(a, c) {
		t.Error("different seeds gave the same stream")
	}
}

func TestSetPath(t *testing.T) {
	doc, _ := decode([]byte(`{"a":{"b":[{"c":1},{"c":2}]},"d":null}`))
	cases := []struct {
		path    string
		wantErr bool
	}{
		{"a.b[1].c", false}, {"d", false}, {"a.x", true}, {"a.b[5].c", true}, {"a.b[x]", true}, {".a", true}, {"d.e", true},
	}
	for _, c := range cases {
		err := set(doc, c.path, "v")
		if (err != nil) != c.wantErr {
			t.Errorf("set(%q) error = %v, want error %v", c.path, err, c.wantErr)
		}
	}
	out, _ := encode(doc)
	if want := `{"a":{"b":[{"c":1},{"c":"v"}]},"d":"v"}`; string(out) != want {
		t.Errorf("document = %s, want %s", out, want)
	}
}
