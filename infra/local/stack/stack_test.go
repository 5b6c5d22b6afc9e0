package stack_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/samples"
	"github.com/zohosync/zohosync/infra/local/stack"
	"github.com/zohosync/zohosync/shared/core"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

// standIns are an ingest that dedupes on the Stripe event id and enqueues
// an envelope, and a sync that "writes" a Contact for every event except
// those without a name, which it dead-letters.
type standIns struct {
	st      *stack.Stack
	tracker *stack.Tracker
	mu      sync.Mutex
	claimed map[string]bool
}

func (s *standIns) ingest(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var body struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(req.Body), &body); err != nil || body.ID == "" {
		return events.APIGatewayV2HTTPResponse{StatusCode: 400, Body: `{"error":"malformed_json"}`}, nil
	}
	s.mu.Lock()
	dup := s.claimed[body.ID]
	s.claimed[body.ID] = true
	s.mu.Unlock()
	if dup {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: `{"status":"duplicate","event_id":"` + body.ID + `"}`}, nil
	}
	env := core.Envelope{V: core.EnvelopeVersion, Source: req.PathParameters["source"], EventID: body.ID, Org: "acme", ReceivedAt: time.Now()}
	env.SetBody([]byte(req.Body))
	sum := sha256.Sum256([]byte(req.Body))
	env.BodySHA256 = hex.EncodeToString(sum[:])
	b, _ := env.Marshal()
	if _, err := s.st.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(s.st.Names.QueueURLs["EventsQueue"]),
		MessageBody: aws.String(string(b))}); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: 202, Body: `{"status":"accepted","event_id":"` + body.ID + `"}`}, nil
}

func (s *standIns) sync(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	for _, r := range ev.Records {
		env, err := core.UnmarshalEnvelope([]byte(r.Body))
		if err != nil {
			return events.SQSEventResponse{}, err
		}
		op := &core.Operation{ID: "contact", Module: "Contacts", Action: core.Upsert, Fields: map[string]any{"Last_Name": "Lovelace"},
			Sources: []core.Source{{MessageID: r.MessageId, EventID: env.EventID}}}
		res := core.Result{Op: op, Outcome: core.Done, RecordID: "rec-" + env.EventID, ZohoAction: "insert"}
		if strings.Contains(env.Body, `"name": null`) {
			res = core.Result{Op: op, Outcome: core.Dead, Problem: &core.Problem{Code: "MANDATORY_NOT_FOUND"}}
		}
		s.tracker.Result(ctx, res)
	}
	return events.SQSEventResponse{}, nil
}

type fakeCRM struct{}

func (fakeCRM) Record(module, id string) map[string]any {
	return map[string]any{"id": id, "Last_Name": "Lovelace", "Created_Time": "x"}
}

func TestSamplesFlowThroughTheStack(t *testing.T) {
	e := emutest.Get(t)
	ctx := context.Background()
	root, _ := emu.RepoRoot()
	st, err := stack.Up(ctx, stack.Options{Root: root, Emulators: e, Prefix: emutest.Name("stack")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Down()
	m, err := st.EventSourceMapping()
	if err != nil {
		t.Fatal(err)
	}
	if m.BatchSize != 1000 || m.Window != time.Minute || m.MaxConcurrency != 5 || m.SyncTimeout != time.Minute {
		t.Errorf("mapping = %+v, want template defaults 1000, 60s, 5, 60s", m)
	}
	env := st.FunctionEnv()
	if env["ZOHOSYNC_TABLE"] != st.Names.Tables["StateTable"] || env["AWS_ENDPOINT_URL_SQS"] != e.SQSEndpoint {
		t.Errorf("function env does not point at the local resources: %v", env)
	}
	si := &standIns{st: st, tracker: stack.NewTracker(), claimed: map[string]bool{}}
	run, err := st.Serve(ctx, stack.Handlers{
		Ingest: lambdaemu.NewInProcess("ingest", 10*time.Second, si.ingest),
		Sync:   lambdaemu.NewInProcess("sync", time.Minute, si.sync),
	}, stack.ServeOptions{Addr: "127.0.0.1:0", Window: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Stop()
	set, err := samples.Load(root, "stripe")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range set.Deliveries {
		if _, err := si.tracker.Post(ctx, run.URL, "stripe", d.Name, d.Headers, d.Body); err != nil {
			t.Fatal(err)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := run.WaitSettled(wctx); err != nil {
		t.Fatalf("stack did not settle: %v", err)
	}
	want := stack.Expectations{"stripe": {
		"signed-customer.created.json":                    {Outcome: "synced", Module: "Contacts"},
		"signed-customer.created-null-name-no-email.json": {Outcome: "dead-lettered"},
		"duplicate-redelivery-of-invoice.paid":            {Outcome: "duplicate"},
		"header-missing":                                  {Outcome: "duplicate"}, // same event id as customer.created
	}}
	outcomes := si.tracker.Outcomes(fakeCRM{})
	for _, o := range outcomes {
		t.Log(o.Line())
	}
	if bad := want.Check(outcomes); len(bad) > 0 {
		t.Errorf("outcomes differ:\n%s", strings.Join(bad, "\n"))
	}
	for _, o := range outcomes {
		if o.Name == "signed-customer.created.json" && !strings.Contains(o.Line(), `rec-evt_1QzExampleCustCreated01 (insert) {Last_Name="Lovelace"}`) {
			t.Errorf("line %q lacks the record id, action and synced fields", o.Line())
		}
	}
	if bad := (stack.Expectations{"stripe": {"nope": {Outcome: "synced"}}}).Check(outcomes); len(bad) != 1 {
		t.Errorf("Check missed a sample that was never posted: %v", bad)
	}
}
