package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/retry"
)

// fakeMapper maps a JSON body {"ops":[...core.Operation]} or fails with
// {"error": "..."}.
type fakeMapper struct{}

func (fakeMapper) Map(env *core.Envelope, body []byte) ([]core.Operation, error) {
	var in struct {
		Ops   []core.Operation `json:"ops"`
		Error string           `json:"error"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if in.Error != "" {
		return nil, errors.New(in.Error)
	}
	return in.Ops, nil
}

// fakePlanner puts operations without references in stage 1 (one batch per
// module) and those with references in stage 2.
type fakePlanner struct{}

func (fakePlanner) Plan(org string, ops []*core.Operation) ([][]*core.Call, []core.Rejection, error) {
	stages := [][]*core.Call{nil, nil}
	var rejected []core.Rejection
	byMod := [2]map[string]*core.Call{{}, {}}
	for _, op := range ops {
		if op.Module == "" {
			rejected = append(rejected, core.Rejection{Op: op, Err: errors.New("no module")})
			continue
		}
		s := 0
		if len(op.Refs) > 0 {
			s = 1
		}
		c := byMod[s][op.Module]
		if c == nil {
			c = &core.Call{Kind: core.Batch, Org: org, Module: op.Module, Action: op.Action}
			byMod[s][op.Module] = c
			stages[s] = append(stages[s], c)
		}
		c.Records = append(c.Records, op)
	}
	return stages, rejected, nil
}

func (fakePlanner) Cost(c *core.Call) (int, int, int) {
	return (len(c.Operations()) + 9) / 10, 1, 0
}

// fakeCRM answers by the e-mail field of each record: "lock" → RECORD_LOCKED,
// "bad" → INVALID_DATA, otherwise success. Failures queued in errs come first.
type fakeCRM struct {
	mu    sync.Mutex
	errs  []error
	calls int
	next  int
	tokes []string
}

func (f *fakeCRM) Do(ctx context.Context, tok core.Token, c *core.Call) (*core.CallReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.tokes = append(f.tokes, tok.Access)
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return nil, err
	}
	rep := &core.CallReport{Status: 200, CreditsRemaining: -1}
	for _, op := range c.Operations() {
		email, _ := op.Fields["Email"].(string)
		switch {
		case strings.HasPrefix(email, "lock"):
			rep.Results = append(rep.Results, core.Result{Outcome: core.Retry, Problem: &core.Problem{Code: "RECORD_LOCKED"}})
		case strings.HasPrefix(email, "bad"):
			rep.Results = append(rep.Results, core.Result{Outcome: core.Dead, Problem: &core.Problem{Code: "INVALID_DATA",
				Details: json.RawMessage(`{"api_name":"Email"}`)}})
		default:
			f.next++
			rep.Results = append(rep.Results, core.Result{Outcome: core.Done, RecordID: fmt.Sprintf("900%d", f.next), ZohoAction: "insert"})
		}
	}
	return rep, nil
}

type callErr struct {
	kind Kind
	code string
}

func (e *callErr) Error() string { return e.code }

func classify(err error) (Kind, *core.Problem) {
	var ce *callErr
	if errors.As(err, &ce) {
		return ce.kind, &core.Problem{Code: ce.code}
	}
	return Transient, &core.Problem{Code: "TRANSPORT", Message: err.Error()}
}

type fakeTokens struct {
	mu          sync.Mutex
	current     int
	invalidated []string
	err         error
}

func (f *fakeTokens) Token(ctx context.Context, org string) (core.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return core.Token{}, f.err
	}
	return core.Token{Access: fmt.Sprintf("tok-%d", f.current), APIDomain: "http://zoho.invalid"}, nil
}

func (f *fakeTokens) Invalidate(ctx context.Context, org, access string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.invalidated = append(f.invalidated, access)
	if access == fmt.Sprintf("tok-%d", f.current) {
		f.current++
	}
	return nil
}

var errReauth = errors.New("re-authorise needed")

func tokenWait(err error) (time.Time, bool) { return time.Time{}, errors.Is(err, errReauth) }

type fakeLedger struct {
	mu        sync.Mutex
	reserved  int
	settled   []int
	denyUntil time.Time
	coolDowns []time.Time
	held      int
	maxHeld   int
}

func (f *fakeLedger) Reserve(ctx context.Context, org string, credits int) (core.Reservation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.denyUntil.IsZero() {
		return nil, &core.Denied{Reason: "credits", RetryAt: f.denyUntil}
	}
	f.reserved += credits
	return reservation{f}, nil
}

type reservation struct{ f *fakeLedger }

func (r reservation) Settle(ctx context.Context, spent, remaining int) error {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	r.f.settled = append(r.f.settled, spent)
	return nil
}

func (f *fakeLedger) Acquire(ctx context.Context, org string, units, sub int) (core.Slots, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.held += units
	if f.held > f.maxHeld {
		f.maxHeld = f.held
	}
	return slots{f, units}, nil
}

type slots struct {
	f *fakeLedger
	n int
}

func (s slots) Release(ctx context.Context) error {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.held -= s.n
	return nil
}

func (f *fakeLedger) CoolDown(ctx context.Context, org string, until time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.coolDowns = append(f.coolDowns, until)
	return nil
}

type sent struct {
	env   core.Envelope
	delay time.Duration
}

type fakeQueue struct {
	mu   sync.Mutex
	sent []sent
	fail bool
}

func (f *fakeQueue) Send(ctx context.Context, env *core.Envelope, delay time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("queue down")
	}
	b, _ := env.Marshal()
	cp, err := core.UnmarshalEnvelope(b)
	if err != nil {
		return err
	}
	f.sent = append(f.sent, sent{*cp, delay})
	return nil
}

type fakeDLs struct {
	mu   sync.Mutex
	dls  []*core.DeadLetter
	fail bool
}

func (f *fakeDLs) Put(ctx context.Context, dl *core.DeadLetter) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("table down")
	}
	f.dls = append(f.dls, dl)
	return nil
}

func (f *fakeDLs) codes() []string {
	var c []string
	for _, d := range f.dls {
		c = append(c, d.Code)
	}
	sort.Strings(c)
	return c
}

// rig is a handler wired to fakes.
type rig struct {
	h       *Handler
	crm     *fakeCRM
	tokens  *fakeTokens
	ledger  *fakeLedger
	queue   *fakeQueue
	dls     *fakeDLs
	now     time.Time
	results []core.Result
	mu      sync.Mutex
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{crm: &fakeCRM{}, tokens: &fakeTokens{}, ledger: &fakeLedger{}, queue: &fakeQueue{},
		dls: &fakeDLs{}, now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	h, err := New(Deps{
		Decode: func(ctx context.Context, body string) (*core.Envelope, []byte, error) {
			env, err := core.UnmarshalEnvelope([]byte(body))
			if err != nil {
				return nil, nil, err
			}
			raw, err := env.RawBody()
			return env, raw, err
		},
		Mapper: fakeMapper{}, Planner: fakePlanner{}, CRM: r.crm, Classify: classify,
		Tokens: r.tokens, TokenWait: tokenWait, Ledger: r.ledger, Queue: r.queue, DeadLetters: r.dls,
		Policy:  retry.Policy{Base: 2 * time.Second, Cap: time.Minute, Floor: time.Second, MaxAttempts: 3, MaxAge: time.Hour},
		Metrics: func() *obs.Recorder { return obs.NewRecorder(discard{}) },
		Now:     func() time.Time { return r.now },
		Rand:    func() float64 { return 0.5 },
		OnResult: func(ctx context.Context, res core.Result) {
			r.mu.Lock()
			r.results = append(r.results, res)
			r.mu.Unlock()
		},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.h = h
	return r
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// msg builds an SQS message whose body maps to the given operations.
func msg(t *testing.T, id, eventID string, mutate func(*core.Envelope), ops ...core.Operation) events.SQSMessage {
	t.Helper()
	body, err := json.Marshal(map[string]any{"ops": ops})
	if err != nil {
		t.Fatal(err)
	}
	env := &core.Envelope{V: 1, Source: "stripe", EventID: eventID, Org: "acme",
		ReceivedAt: time.Date(2026, 12, 1, 11, 59, 58, 0, time.UTC)}
	env.SetBody(body)
	if mutate != nil {
		mutate(env)
	}
	b, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return events.SQSMessage{MessageId: id, Body: string(b)}
}

func contact(id, email string) core.Operation {
	return core.Operation{ID: id, Org: "acme", Route: "r", Module: "Contacts", Action: core.Upsert,
		Match: []string{"Email"}, Fields: map[string]any{"Email": email, "Last_Name": "X"}}
}

func deal(id, email, ref string) core.Operation {
	return core.Operation{ID: id, Org: "acme", Route: "r", Module: "Deals", Action: core.Upsert,
		Match: []string{"Deal_Name"}, Fields: map[string]any{"Deal_Name": "D " + email, "Email": email},
		Refs: []core.Ref{{Field: "Contact_Name", Op: ref}}}
}

func (r *rig) handle(t *testing.T, ms ...events.SQSMessage) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resp, err := r.h.Handle(ctx, events.SQSEvent{Records: ms})
	if err != nil {
		t.Fatalf("Handle returned a batch-level error: %v", err)
	}
	var ids []string
	for _, f := range resp.BatchItemFailures {
		ids = append(ids, f.ItemIdentifier)
	}
	return ids
}
