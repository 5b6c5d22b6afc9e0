package admin

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/auth"
	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/dynamo"
	"github.com/zohosync/zohosync/shared/ledger"
)

type fakeTokens struct {
	connected []string
	err       error
}

func (f *fakeTokens) Connect(ctx context.Context, org, dc, code, id, secret string) (auth.Connection, error) {
	if f.err != nil {
		return auth.Connection{}, f.err
	}
	f.connected = append(f.connected, org+"/"+dc+"/"+code+"/"+id+"/"+secret)
	return auth.Connection{Org: org, DataCenter: dc, APIDomain: "https://www.zohoapis.com"}, nil
}

func (f *fakeTokens) Status(ctx context.Context, org string) (auth.Status, error) {
	return auth.Status{Org: org, Connected: true, DataCenter: "us", Minted: time.Unix(1000, 0)}, nil
}

type fakeCredits struct{}

func (fakeCredits) Status(ctx context.Context, org string) (ledger.Status, error) {
	return ledger.Status{Org: org, Budget: 30000, Used: 120, Units: 2}, nil
}

type fakeDLs struct {
	mu       sync.Mutex
	recs     map[string]*dynamo.Record
	order    []string
	marked   map[string]bool
	unmarked []string
}

func (f *fakeDLs) add(id, source, event string) {
	if f.recs == nil {
		f.recs, f.marked = map[string]*dynamo.Record{}, map[string]bool{}
	}
	env := core.Envelope{V: 1, Source: source, EventID: event, Org: "acme", Attempt: 4,
		Ops: []core.Operation{{ID: "x"}}}
	env.SetBody([]byte(`{"id":"` + event + `"}`))
	f.recs[id] = &dynamo.Record{DeadLetter: core.DeadLetter{ID: id, Org: "acme", Source: source, EventID: event,
		Code: "INVALID_DATA", Envelope: env}}
	f.order = append(f.order, id)
}

func (f *fakeDLs) List(ctx context.Context, q dynamo.Query) (dynamo.Page, error) {
	var p dynamo.Page
	for _, id := range f.order {
		if q.Pending && f.marked[id] {
			continue
		}
		p.Items = append(p.Items, dynamo.Summary{ID: id})
	}
	return p, nil
}

func (f *fakeDLs) Get(ctx context.Context, id string) (*dynamo.Record, error) {
	r := f.recs[id]
	if r == nil {
		return nil, errors.New("not found")
	}
	cp := *r
	if f.marked[id] {
		cp.ReplayedAt = time.Unix(1, 0)
	}
	return &cp, nil
}

func (f *fakeDLs) Counts(ctx context.Context, org string, since time.Time) (dynamo.Counts, error) {
	return dynamo.Counts{Tally: dynamo.Tally{Total: len(f.order), Pending: len(f.order)}}, nil
}

func (f *fakeDLs) MarkReplayed(ctx context.Context, id string) (dynamo.ReplayMark, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.marked[id] {
		return dynamo.ReplayMark{}, dynamo.ErrAlreadyReplayed
	}
	f.marked[id] = true
	return dynamo.ReplayMark{ID: id}, nil
}

func (f *fakeDLs) UnmarkReplayed(ctx context.Context, m dynamo.ReplayMark) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.marked, m.ID)
	f.unmarked = append(f.unmarked, m.ID)
	return nil
}

type fakeQueue struct {
	sent []*core.Envelope
	fail bool
}

func (q *fakeQueue) Send(ctx context.Context, env *core.Envelope, d time.Duration) error {
	if q.fail {
		return errors.New("queue down")
	}
	q.sent = append(q.sent, env)
	return nil
}

type fakeMapper struct{}

func (fakeMapper) Map(env *core.Envelope, body []byte) ([]core.Operation, error) {
	if strings.Contains(string(body), "broken") {
		return nil, errors.New("mapping route r: no usable match key")
	}
	return []core.Operation{
		{ID: "contact", Org: "acme", Module: "Contacts", Action: core.Upsert, Match: []string{"Email"},
			Fields: map[string]any{"Email": "a@example.com"}},
		{ID: "deal", Org: "acme", Module: "Deals", Action: core.Upsert, Match: []string{"Deal_Name"},
			Fields: map[string]any{"Deal_Name": "D"}, Refs: []core.Ref{{Field: "Contact_Name", Op: "contact"}}},
	}, nil
}

type fakePlanner struct{}

func (fakePlanner) Cost(*core.Call) (int, int, int) { return 1, 1, 0 }

func (fakePlanner) Plan(org string, ops []*core.Operation) ([][]*core.Call, []core.Rejection, error) {
	var st [][]*core.Call
	for _, op := range ops {
		st = append(st, []*core.Call{{Kind: core.Batch, Org: org, Module: op.Module, Action: op.Action,
			Match: op.Match, Records: []*core.Operation{op}}})
	}
	return st, nil, nil
}

func newHandler(t *testing.T) (*Handler, *fakeTokens, *fakeDLs, *fakeQueue) {
	t.Helper()
	cfg := &config.Config{Orgs: map[string]*config.Org{"acme": {Name: "acme", DataCenter: "eu"}},
		Sources: map[string]*config.Source{"stripe": {Name: "stripe", Org: "acme"}}}
	tok, dls, q := &fakeTokens{}, &fakeDLs{}, &fakeQueue{}
	h, err := New(Deps{Config: cfg, Tokens: tok, Credits: fakeCredits{}, DeadLetters: dls, Queue: q,
		Mapper: fakeMapper{}, Planner: fakePlanner{},
		Clients: func(ctx context.Context, org string) (auth.Client, error) {
			return auth.Client{ID: "cid", Secret: "csecret"}, nil
		},
		QueueDepth: func(ctx context.Context) (map[string]int, error) { return map[string]int{"events": 3}, nil },
		Now:        func() time.Time { return time.Unix(4600, 0) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, tok, dls, q
}

func TestUnknownAndMissingActions(t *testing.T) {
	h, _, _, _ := newHandler(t)
	for _, a := range []string{"", "explode"} {
		if _, err := h.Handle(context.Background(), Request{Action: a}); !errors.Is(err, ErrBadRequest) {
			t.Errorf("action %q: err = %v, want ErrBadRequest", a, err)
		}
	}
}

func TestConnect(t *testing.T) {
	h, tok, _, _ := newHandler(t)
	got, err := h.Handle(context.Background(), Request{Action: "connect", GrantCode: "1000.code"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"acme/eu/1000.code/cid/csecret"}; !reflect.DeepEqual(tok.connected, want) {
		t.Errorf("connected %v, want %v (config's data centre, resolved client)", tok.connected, want)
	}
	b, _ := json.Marshal(got)
	if strings.Contains(string(b), "csecret") {
		t.Errorf("answer leaks the client secret: %s", b)
	}
	if _, err := h.Handle(context.Background(), Request{Action: "connect"}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("connect without code: err = %v", err)
	}
	if _, err := h.Handle(context.Background(), Request{Action: "connect", Org: "nope", GrantCode: "x"}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("connect unknown org: err = %v", err)
	}
}

func TestStatus(t *testing.T) {
	h, _, dls, _ := newHandler(t)
	dls.add("d1", "stripe", "e1")
	got, err := h.Handle(context.Background(), Request{Action: "status"})
	if err != nil {
		t.Fatal(err)
	}
	s := got.(StatusAnswer)
	if !s.Token.Connected || s.Token.AgeSeconds != 3600 || s.Credits.Budget != 30000 || s.Queue["events"] != 3 ||
		s.DeadLetters.Total != 1 || !reflect.DeepEqual(s.DeadLetters.Latest, []string{"d1"}) || len(s.Problems) != 0 {
		t.Errorf("status = %+v", s)
	}
}

func TestReplayOncePerEventAndIdempotent(t *testing.T) {
	h, _, dls, q := newHandler(t)
	dls.add("d1", "stripe", "e1")
	dls.add("d2", "stripe", "e1") // second op of the same event
	dls.add("d3", "stripe", "e2")
	got, err := h.Handle(context.Background(), Request{Action: "replay", Org: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	a := got.(ReplayAnswer)
	if len(q.sent) != 2 || len(a.Enqueued) != 2 || !reflect.DeepEqual(a.Enqueued[0].DeadLetters, []string{"d1", "d2"}) {
		t.Fatalf("sent %d, answer %+v; want 2 events, e1 with d1 and d2", len(q.sent), a)
	}
	env := q.sent[0]
	if env.Ops != nil || env.Attempt != 0 || env.Replay != "d1" || env.Body == "" {
		t.Errorf("replayed envelope %+v: want fresh (no ops, attempt 0), marked with its dead letter, body kept", env)
	}
	again, err := h.Handle(context.Background(), Request{Action: "replay", IDs: []string{"d1", "d2", "d3"}})
	if err != nil {
		t.Fatal(err)
	}
	if b := again.(ReplayAnswer); len(q.sent) != 2 || len(b.Skipped) != 3 {
		t.Errorf("second replay sent %d more, answer %+v; want nothing sent, three skipped", len(q.sent)-2, b)
	}
}

func TestReplayUndoesMarkWhenEnqueueFails(t *testing.T) {
	h, _, dls, q := newHandler(t)
	dls.add("d1", "stripe", "e1")
	q.fail = true
	got, err := h.Handle(context.Background(), Request{Action: "replay", IDs: []string{"d1"}})
	if err != nil {
		t.Fatal(err)
	}
	if a := got.(ReplayAnswer); len(a.Failed) != 1 || dls.marked["d1"] || !reflect.DeepEqual(dls.unmarked, []string{"d1"}) {
		t.Errorf("answer %+v marked %v unmarked %v; want failure reported and the mark undone", a, dls.marked, dls.unmarked)
	}
}

func TestReplayPreviewSendsNothing(t *testing.T) {
	h, _, dls, q := newHandler(t)
	dls.add("d1", "stripe", "e1")
	got, _ := h.Handle(context.Background(), Request{Action: "replay", Preview: true})
	if a := got.(ReplayAnswer); len(a.Enqueued) != 1 || len(q.sent) != 0 || dls.marked["d1"] {
		t.Errorf("preview %+v sent %d marked %v", a, len(q.sent), dls.marked)
	}
}

func TestReplayLimit(t *testing.T) {
	h, _, dls, q := newHandler(t)
	for _, id := range []string{"a", "b", "c"} {
		dls.add(id, "stripe", "e-"+id)
	}
	got, _ := h.Handle(context.Background(), Request{Action: "replay", Limit: 2})
	if a := got.(ReplayAnswer); !a.More || len(q.sent) != 2 {
		t.Errorf("answer %+v sent %d; want 2 sent and More", a, len(q.sent))
	}
}

func TestDryRun(t *testing.T) {
	h, _, _, q := newHandler(t)
	got, err := h.Handle(context.Background(), Request{Action: "dry-run", Source: "stripe", Body: json.RawMessage(`{"id":"evt_1"}`)})
	if err != nil {
		t.Fatal(err)
	}
	a := got.(DryRunAnswer)
	if len(a.Operations) != 2 || len(a.Calls) != 2 || a.Calls[1].Stage != 2 {
		t.Fatalf("answer %+v", a)
	}
	look := a.Calls[1].Records[0]["Contact_Name"].(map[string]any)
	if look["id"] != "<record id of contact>" {
		t.Errorf("deal lookup shows %v", look)
	}
	if len(q.sent) != 0 {
		t.Errorf("dry-run enqueued something")
	}
	bad, err := h.Handle(context.Background(), Request{Action: "dry-run", Source: "stripe", Body: json.RawMessage(`"broken form=1"`)})
	if err != nil || !strings.Contains(bad.(DryRunAnswer).MappingError, "no usable match key") {
		t.Errorf("mapping error answer %+v, %v", bad, err)
	}
	if _, err := h.Handle(context.Background(), Request{Action: "dry-run", Source: "nope", Body: json.RawMessage(`{}`)}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("unknown source: %v", err)
	}
}
