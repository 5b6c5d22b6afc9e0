package gen

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/mapping"
	"github.com/zohosync/zohosync/shared/webhook"
)

func mustGenerator(t *testing.T, seed uint64) (*Generator, string) {
	t.Helper()
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(root, seed)
	if err != nil {
		t.Fatal(err)
	}
	return g, root
}

// TestExpectationsMatchTheShippedMapping checks every kind against the
// config's real verifier, event id rule and mapping: the signature
// verifies, the event id is the one ingest derives, and the operations
// are the ones expected (ids, modules, record keys) or the mapping fails
// with the expected code.
func TestExpectationsMatchTheShippedMapping(t *testing.T) {
	g, root := mustGenerator(t, 7)
	cfg, err := config.Load(root + "/config/zohosync.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := mapping.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	seen := map[Kind]int{}
	for range 600 {
		e, p, err := g.Next()
		if err != nil {
			t.Fatal(err)
		}
		seen[e.Kind]++
		d, err := g.Deliver(p, now)
		if err != nil {
			t.Fatal(err)
		}
		checkVerifies(t, cfg, g, e, d, now)
		checkEventID(t, m, e, d)
		checkOps(t, m, e, d)
	}
	for _, w := range DefaultMix {
		if seen[w.Kind] == 0 {
			t.Errorf("600 events and no %s", w.Kind)
		}
	}
}

func checkVerifies(t *testing.T, cfg *config.Config, g *Generator, e *Event, d Delivery, now time.Time) {
	t.Helper()
	v, err := webhook.New(cfg.Sources[e.Source].Verify, []string{g.secrets[e.Source]})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(webhook.NewHeader(d.Headers), d.Body, now); err != nil {
		t.Errorf("event %d (%s): signature does not verify: %v", e.Seq, e.Kind, err)
	}
}

func checkEventID(t *testing.T, m *mapping.Mapper, e *Event, d Delivery) {
	t.Helper()
	h := http.Header{}
	for k, v := range d.Headers {
		h.Set(k, v)
	}
	got, err := m.EventID(e.Source, h, d.Body, h.Get("Content-Type"))
	if err != nil || got != e.ID {
		t.Errorf("event %d (%s): event id = %q, %v; want %q", e.Seq, e.Kind, got, err, e.ID)
	}
}

func checkOps(t *testing.T, m *mapping.Mapper, e *Event, d Delivery) {
	t.Helper()
	env := &core.Envelope{V: core.EnvelopeVersion, Source: e.Source, EventID: e.ID, Org: "acme",
		ContentType: d.Headers["Content-Type"], Headers: map[string]string{}}
	for k, v := range d.Headers {
		env.Headers[strings.ToLower(k)] = v
	}
	ops, err := m.Map(env, d.Body)
	if e.DeadCode != "" && e.DeadOp == "" {
		me, ok := err.(*mapping.Error)
		if !ok || me.Code != e.DeadCode {
			t.Errorf("event %d (%s): Map error = %v, want code %s", e.Seq, e.Kind, err, e.DeadCode)
		}
		return
	}
	if err != nil {
		t.Fatalf("event %d (%s): Map: %v", e.Seq, e.Kind, err)
	}
	if len(ops) != len(e.Ops) {
		t.Fatalf("event %d (%s): %d operations, want %d (%v)", e.Seq, e.Kind, len(ops), len(e.Ops), e.Ops)
	}
	for i, op := range ops {
		key, _ := RecordKey(op.Module, op.Fields)
		want := e.Ops[i]
		if op.ID != want.ID || op.Module != want.Module || key != want.Key {
			t.Errorf("event %d (%s) op %d = %s %s %q, want %s %s %q", e.Seq, e.Kind, i,
				op.ID, op.Module, key, want.ID, want.Module, want.Key)
		}
		for f, text := range want.Fields {
			if got, _ := op.Fields[f].(string); !strings.Contains(got, text) {
				t.Errorf("event %d (%s) op %s: %s = %q, want it to contain %q", e.Seq, e.Kind, op.ID, f, got, text)
			}
		}
		refs := map[string]string{}
		for _, r := range op.Refs {
			refs[r.Field] = r.Op
		}
		if len(refs) != len(want.Refs) {
			t.Errorf("event %d (%s) op %s: refs %v, want %v", e.Seq, e.Kind, op.ID, refs, want.Refs)
		}
		for f, target := range want.Refs {
			if refs[f] != target {
				t.Errorf("event %d (%s) op %s: %s refers to %q, want %q", e.Seq, e.Kind, op.ID, f, refs[f], target)
			}
		}
	}
}

func TestSameSeedSameEvents(t *testing.T) {
	a, _ := mustGenerator(t, 42)
	b, _ := mustGenerator(t, 42)
	c, _ := mustGenerator(t, 43)
	differs := false
	for range 200 {
		ea, pa, _ := a.Next()
		eb, pb, _ := b.Next()
		ec, _, _ := c.Next()
		if ea.ID != eb.ID || ea.Kind != eb.Kind || string(pa.Body) != string(pb.Body) {
			t.Fatalf("event %d differs between two generators of seed 42", ea.Seq)
		}
		differs = differs || ea.ID != ec.ID
	}
	if !differs {
		t.Error("seeds 42 and 43 made the same event ids")
	}
}

// TestKeysAreUniqueUnlessShared: a new person never lands on another's
// record; only reused customers share a Contact key.
func TestKeysAreUniqueUnlessShared(t *testing.T) {
	g, _ := mustGenerator(t, 3)
	owner := map[string]string{} // key -> source of its first event
	shared := 0
	for range 2000 {
		e, _, _ := g.Next()
		for _, op := range e.Ops {
			if src, ok := owner[op.Key]; ok {
				if op.Module != "Contacts" || src != e.Source {
					t.Fatalf("event %d (%s) reuses key %s of a %s event", e.Seq, e.Kind, op.Key, src)
				}
				shared++
			}
			owner[op.Key] = e.Source
		}
	}
	if shared == 0 {
		t.Error("no Contact shared between events in 2000; want customer reuse")
	}
}

func TestRecordKey(t *testing.T) {
	cases := []struct {
		module string
		fields map[string]any
		want   string
		ok     bool
	}{
		{"Contacts", map[string]any{"Email": "A.B@Example.com"}, "Contacts|Email=a.b@example.com", true},
		{"Leads", map[string]any{"Email": "x@example.com", "Calendly_Booking_ID": "u"}, "Leads|Email=x@example.com", true},
		{"Deals", map[string]any{"Shopify_Order_ID": "7300000000000000001"}, "Deals|Shopify_Order_ID=7300000000000000001", true},
		{"Deals", map[string]any{"Stripe_Invoice_ID": "in_1", "Deal_Name": "x"}, "Deals|Stripe_Invoice_ID=in_1", true},
		{"Accounts", map[string]any{"Account_Name": "Acme LLC"}, "Accounts|Account_Name=Acme LLC", true},
		{"Contacts", map[string]any{"Last_Name": "x"}, "", false},
		{"Tasks", map[string]any{"Email": "x@example.com"}, "", false},
	}
	for _, c := range cases {
		got, ok := RecordKey(c.module, c.fields)
		if got != c.want || ok != c.ok {
			t.Errorf("RecordKey(%s, %v) = %q, %v; want %q, %v", c.module, c.fields, got, ok, c.want, c.ok)
		}
	}
}
