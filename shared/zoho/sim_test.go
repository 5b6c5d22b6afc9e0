package zoho_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/plan"
	"github.com/zohosync/zohosync/shared/plan/plantest"
	"github.com/zohosync/zohosync/shared/zoho"
)

// simEnv is a running simulator with a client and a valid token for it.
type simEnv struct {
	sim *zohosim.Sim
	c   *zoho.Client
	tok core.Token
}

// startSim starts the project's Zoho simulator for the EU data centre and
// mints an access token through its accounts server.
func startSim(t testing.TB, cfg zohosim.Config) *simEnv {
	t.Helper()
	cfg.DataCenters = []string{"eu"}
	sim, err := zohosim.New(cfg)
	if err != nil {
		t.Fatalf("zohosim.New: %v", err)
	}
	srv, err := sim.Start()
	if err != nil {
		t.Fatalf("sim.Start: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := sim.AddClient("eu", "cid", "csecret"); err != nil {
		t.Fatal(err)
	}
	refresh := sim.SeedRefreshToken("eu", "cid")
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.PostForm(srv.AccountsURL("eu")+"/oauth/v2/token", url.Values{
		"grant_type": {"refresh_token"}, "client_id": {"cid"}, "client_secret": {"csecret"}, "refresh_token": {refresh}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
		APIDomain   string `json:"api_domain"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("token: %v %+v", err, tr)
	}
	c, err := zoho.NewClient(hc)
	if err != nil {
		t.Fatal(err)
	}
	return &simEnv{sim: sim, c: c, tok: core.Token{Access: tr.AccessToken, APIDomain: tr.APIDomain}}
}

func contactOp(email, last string) *core.Operation {
	return &core.Operation{ID: "contact", Module: "Contacts", Action: core.Upsert, Match: []string{"Email"},
		Fields: map[string]any{"Email": email, "Last_Name": last}}
}

func upsertCall(ops ...*core.Operation) *core.Call {
	return &core.Call{Kind: core.Batch, Module: ops[0].Module, Action: ops[0].Action, Match: ops[0].Match, Records: ops}
}

func TestSimUpsertInsertThenUpdate(t *testing.T) {
	env := startSim(t, zohosim.Config{})
	ctx := context.Background()
	rep, err := env.c.Do(ctx, env.tok, upsertCall(contactOp("ada@example.com", "Lovelace"), contactOp("grace@example.com", "Hopper")))
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	for i, r := range rep.Results {
		if r.Outcome != core.Done || r.RecordID == "" || r.ZohoAction != "insert" {
			t.Errorf("first upsert %d: %v %q %q, want done insert with id", i, r.Outcome, r.RecordID, r.ZohoAction)
		}
	}
	first := rep.Results[0].RecordID
	rep, err = env.c.Do(ctx, env.tok, upsertCall(contactOp("ADA@example.com", "Byron")))
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if r := rep.Results[0]; r.RecordID != first || r.ZohoAction != "update" {
		t.Errorf("second upsert: id %q action %q, want %q update", r.RecordID, r.ZohoAction, first)
	}
	if got := env.sim.Record("Contacts", first); got["Last_Name"] != "Byron" {
		t.Errorf("simulator holds Last_Name %v, want Byron", got["Last_Name"])
	}
}

func TestSimMixedInsert(t *testing.T) {
	env := startSim(t, zohosim.Config{})
	ok := &core.Operation{Module: "Leads", Action: core.Insert, Fields: map[string]any{"Last_Name": "Doe", "Email": "doe@example.com"}}
	missing := &core.Operation{Module: "Leads", Action: core.Insert, Fields: map[string]any{"Email": "x@example.com"}}
	badEmail := &core.Operation{Module: "Leads", Action: core.Insert, Fields: map[string]any{"Last_Name": "Roe", "Email": "not-an-email"}}
	call := &core.Call{Kind: core.Batch, Module: "Leads", Action: core.Insert, Records: []*core.Operation{ok, missing, badEmail}}
	rep, err := env.c.Do(context.Background(), env.tok, call)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	want := []struct {
		outcome core.Outcome
		code    string
	}{{core.Done, ""}, {core.Dead, "MANDATORY_NOT_FOUND"}, {core.Dead, "INVALID_DATA"}}
	for i, w := range want {
		r := rep.Results[i]
		code := ""
		if r.Problem != nil {
			code = r.Problem.Code
		}
		if r.Outcome != w.outcome || code != w.code {
			t.Errorf("record %d: %v %q, want %v %q", i, r.Outcome, code, w.outcome, w.code)
		}
	}
	if rep.Status != 207 {
		t.Errorf("status %d, want 207", rep.Status)
	}
}

func TestSimCompositeChain(t *testing.T) {
	env := startSim(t, zohosim.Config{})
	p, err := plan.Make(chainOps("m1", "ada@example.com"), plan.Limits{})
	if err != nil || len(p.Stages) != 1 || p.Stages[0][0].Kind != core.Composite {
		t.Fatalf("plan: %v, %d stages", err, len(p.Stages))
	}
	rep, err := env.c.Do(context.Background(), env.tok, p.Stages[0][0])
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	contact, deal := rep.Results[0], rep.Results[1]
	if contact.Outcome != core.Done || deal.Outcome != core.Done {
		t.Fatalf("outcomes %v %v (%+v %+v)", contact.Outcome, deal.Outcome, contact.Problem, deal.Problem)
	}
	got := env.sim.Record("Deals", deal.RecordID)
	lookup, _ := got["Contact_Name"].(map[string]any)
	if lookup["id"] != contact.RecordID {
		t.Errorf("deal's Contact_Name = %v, want id %s", got["Contact_Name"], contact.RecordID)
	}
}

func TestSimRequestErrors(t *testing.T) {
	env := startSim(t, zohosim.Config{})
	ctx := context.Background()
	bad := env.tok
	bad.Access = "1000.not-a-token"
	if _, err := env.c.Do(ctx, bad, upsertCall(contactOp("a@example.com", "A"))); !errors.Is(err, zoho.ErrInvalidToken) {
		t.Errorf("bad token: err = %v, want ErrInvalidToken", err)
	}
	call := upsertCall(contactOp("a@example.com", "A"))
	call.Module = "Nonsense"
	_, err := env.c.Do(ctx, env.tok, call)
	var ae *zoho.APIError
	if !errors.As(err, &ae) || ae.Code != "INVALID_MODULE" || ae.Retryable() {
		t.Errorf("bad module: err = %v, want permanent INVALID_MODULE", err)
	}
	if _, err := env.sim.AddFault(zohosim.Fault{Endpoint: "upsert", Action: zohosim.FaultStatus, Status: 429, Code: "TOO_MANY_REQUESTS", Count: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.Do(ctx, env.tok, upsertCall(contactOp("a@example.com", "A"))); !errors.Is(err, zoho.ErrRateLimited) || !zoho.Retryable(err) {
		t.Errorf("429: err = %v, want retryable ErrRateLimited", err)
	}
	if _, err := env.sim.AddFault(zohosim.Fault{Endpoint: "upsert", Action: zohosim.FaultRecordError, Code: "RECORD_LOCKED", Count: 1}); err != nil {
		t.Fatal(err)
	}
	rep, err := env.c.Do(ctx, env.tok, upsertCall(contactOp("a@example.com", "A"), contactOp("b@example.com", "B")))
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if rep.Results[0].Outcome != core.Retry || rep.Results[1].Outcome != core.Done {
		t.Errorf("record lock: %v %v, want retry, done", rep.Results[0].Outcome, rep.Results[1].Outcome)
	}
}

// chainOps is a checkout event from message m: a contact upsert and a deal
// upsert referring to it.
func chainOps(m, email string) []*core.Operation {
	src := []core.Source{{MessageID: m, EventID: "evt-" + m, Source: "stripe"}}
	c := contactOp(email, "Buyer")
	c.Org, c.Sources = "acme", src
	d := &core.Operation{ID: "deal", Org: "acme", Module: "Deals", Action: core.Upsert, Match: []string{"Deal_Name"},
		Fields:  map[string]any{"Deal_Name": "Checkout " + m, "Stage": "Closed Won", "Amount": json.Number("89.10")},
		Refs:    []core.Ref{{Field: "Contact_Name", Op: "contact"}},
		Sources: src}
	return []*core.Operation{c, d}
}

// runPlan sends a plan stage by stage, filling each lookup that refers to
// an earlier stage with the record id written there, as the sync executor
// does. It returns every planned operation's result.
func runPlan(t testing.TB, env *simEnv, p *plan.Plan) map[*core.Operation]core.Result {
	t.Helper()
	res := map[*core.Operation]core.Result{}
	for _, stage := range p.Stages {
		for _, call := range stage {
			wired := map[*core.Operation]map[string]bool{}
			for _, s := range call.Subs {
				wired[s.Op] = map[string]bool{}
				for f := range s.Refs {
					wired[s.Op][f] = true
				}
			}
			for _, op := range call.Operations() {
				for f, target := range op.RefTargets {
					if !wired[op][f] {
						op.Fields[f] = map[string]any{"id": res[target].RecordID}
					}
				}
			}
			rep, err := env.c.Do(context.Background(), env.tok, call)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			for _, r := range rep.Results {
				res[r.Op] = r
			}
		}
	}
	return res
}

// TestSimPlannedStream is the conformance check of planner and client
// together: a batch of checkouts and customers, planned and sent, lands in
// the simulator with every record written, every deal linked to its
// contact, and the credits the simulator charged equal to the cost model's.
func TestSimPlannedStream(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{{"few chains in a composite", 2}, {"many chains in batch stages", 30}}
	for _, tt := range tests {
		n := tt.n
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, zohosim.Config{})
			var ops []*core.Operation
			for i := range n {
				m := "m" + string(rune('A'+i%26)) + string(rune('a'+i/26))
				ops = append(ops, chainOps(m, "buyer-"+m+"@example.com")...)
			}
			p, err := plan.Make(ops, plan.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			before := env.sim.Stats().CreditsSpent
			res := runPlan(t, env, p)
			for op, r := range res {
				if r.Outcome != core.Done {
					t.Fatalf("%s %v: %+v", op.Module, r.Outcome, r.Problem)
				}
				if op.Module == "Deals" {
					lookup, _ := env.sim.Record("Deals", r.RecordID)["Contact_Name"].(map[string]any)
					if lookup["id"] != res[op.RefTargets["Contact_Name"]].RecordID {
						t.Errorf("deal %s linked to %v", r.RecordID, lookup)
					}
				}
			}
			if got := env.sim.Stats().CreditsSpent - before; got != int64(p.Cost.Credits) {
				t.Errorf("simulator charged %d credits, cost model says %d", got, p.Cost.Credits)
			}
			if got := env.sim.Stats().Records; got["Contacts"] != n || got["Deals"] != n {
				t.Errorf("records %v, want %d contacts and deals", got, n)
			}
		})
	}
}

// TestHeadlineAgainstSimulator sends the headline stream, planned with a
// 60 s batching window, to the simulator and compares the credits it
// charged and the calls it answered with the cost model (go test -run
// Headline -v ./shared/zoho).
func TestHeadlineAgainstSimulator(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 10,000 events' records to the simulator")
	}
	for _, bind := range []plan.Binding{plan.None, plan.Credits} {
		t.Run("bind "+bind.String(), func(t *testing.T) { headlineAgainstSimulator(t, bind) })
	}
}

func headlineAgainstSimulator(t *testing.T, bind plan.Binding) {
	env := startSim(t, zohosim.Config{Edition: "enterprise", Users: 100})
	events := plantest.Stream(plantest.DefaultStream)
	var model plan.Cost
	records, written, failed := 0, 0, 0
	for _, batch := range plantest.Batches(events, time.Minute, 10000) {
		p, err := plan.Make(batch, plan.Limits{Bind: bind})
		if err != nil {
			t.Fatal(err)
		}
		records += len(batch)
		written += p.Ops
		model = model.Add(p.Cost)
		for _, r := range runPlan(t, env, p) {
			if r.Outcome != core.Done {
				failed++
				if failed <= 3 {
					t.Errorf("%s: %v %+v", r.Op.Module, r.Outcome, r.Problem)
				}
			}
		}
	}
	st := env.sim.Stats()
	calls := 0
	for _, endpoint := range []string{"insert", "update", "upsert", "composite"} {
		for _, n := range st.Calls[endpoint] {
			calls += n
		}
	}
	if st.CreditsSpent != int64(model.Credits) || calls != model.Calls {
		t.Errorf("simulator charged %d credits for %d calls; cost model %d credits, %d calls",
			st.CreditsSpent, calls, model.Credits, model.Calls)
	}
	if got := st.Records["Contacts"] + st.Records["Deals"] + st.Records["Leads"]; got != distinctRecords(events) {
		t.Errorf("simulator holds %d records, the stream names %d", got, distinctRecords(events))
	}
	t.Logf("headline stream via simulator: %d events, %d records asked, %d written, %d failed; "+
		"simulator charged %d credits (%.4f/record) for %d calls (%.4f/record); cost model: %d credits, %d calls",
		len(events), records, written, failed, st.CreditsSpent, float64(st.CreditsSpent)/float64(records),
		calls, float64(calls)/float64(records), model.Credits, model.Calls)
}

// distinctRecords counts the records a stream of upserts names: one per
// module and match value (e-mails compared case-insensitively).
func distinctRecords(events []plantest.Event) int {
	seen := map[string]bool{}
	for _, e := range events {
		for _, op := range e.Ops {
			vals, _ := op.MatchValues()
			seen[op.Module+"\x00"+strings.ToLower(fmt.Sprint(vals...))] = true
		}
	}
	return len(seen)
}
