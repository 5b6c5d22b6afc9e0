package ingest

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/dynamo"
	"github.com/zohosync/zohosync/shared/mapping"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/queue"
	"github.com/zohosync/zohosync/shared/secrets"
)

// emuRig is a handler over DynamoDB Local and the fauxqs SQS emulator.
type emuRig struct {
	h        *Handler
	table    *dynamo.Table
	sqs      *sqs.Client
	queueURL string
	now      time.Time
}

func newEmuRig(t *testing.T, cfg *config.Config, ids EventIDer, sec SecretResolver, queueSuffix string) *emuRig {
	t.Helper()
	names := emutest.Provision(t)
	table, err := dynamo.New(emutest.Dynamo(t), names.Tables["StateTable"], dynamo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := &emuRig{table: table, sqs: emutest.SQS(t), queueURL: names.QueueURLs["EventsQueue"]}
	q, err := queue.New(r.sqs, r.queueURL+queueSuffix, table.Blobs(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.h, err = New(context.Background(), cfg, Deps{
		Claims: table.Claims(), Queue: q, Secrets: sec, IDs: ids,
		Now:     func() time.Time { return r.now },
		Log:     obs.NewLogger(&testWriter{t}, "debug"),
		Metrics: &testWriter{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testWriter sends output to the test log.
type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

// receiveAll drains the events queue and decodes each message.
func (r *emuRig) receiveAll(t *testing.T) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	ctx := context.Background()
	for empty := 0; empty < 2; {
		out, err := r.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(r.queueURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 0 {
			empty++
			continue
		}
		for _, m := range out.Messages {
			env, body, err := queue.Decode(ctx, *m.Body, r.table.Blobs())
			if err != nil {
				t.Fatalf("decode message: %v", err)
			}
			key := env.Source + "/" + env.EventID
			if _, dup := got[key]; dup {
				t.Errorf("event %s enqueued twice", key)
			}
			got[key] = body
		}
	}
	return got
}

// shippedConfig loads config/zohosync.yaml with the sample secrets.
func shippedConfig(t *testing.T) (*config.Config, *secrets.Resolver) {
	t.Helper()
	cfg, err := config.Load(filepath.Join(repoRoot(t), "config", "zohosync.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"STRIPE_SIGNING_SECRET": stripeSecret, "SHOPIFY_SIGNING_SECRET": shopifySecret,
		"TYPEFORM_SIGNING_SECRET": typeformSecret, "CALENDLY_SIGNING_SECRET": calendlySecret,
	}
	r := secrets.NewResolver(secrets.Options{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	return cfg, r
}

// TestEmulatorShippedConfig sends every sample delivery through the
// shipped config, the real mapping's event ids, the real secret resolver,
// DynamoDB claims and the SQS queue adapter: each accepted event arrives
// exactly once with its exact bytes (the 315 KB Shopify order through the
// claim-check), redeliveries are answered 200 and not enqueued again.
func TestEmulatorShippedConfig(t *testing.T) {
	cfg, sec := shippedConfig(t)
	ids, err := mapping.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := newEmuRig(t, cfg, ids, sec, "")
	want := map[string][]byte{}
	for _, sender := range []string{"stripe", "shopify", "typeform", "calendly"} {
		dir := filepath.Join(repoRoot(t), "testdata", "webhooks", sender)
		for _, d := range readSamples(t, dir).Deliveries {
			body, err := os.ReadFile(filepath.Join(dir, d.BodyFile))
			if err != nil {
				t.Fatal(err)
			}
			r.now = time.Unix(d.Receive, 0)
			if d.Receive == 0 {
				r.now = time.Now()
			}
			resp, _ := r.h.Handle(context.Background(), post(sender, d.Headers, string(body)))
			w := sampleWant[sender+"/"+d.Name]
			if resp.StatusCode != w.status {
				t.Errorf("%s/%s: status %d (%s), want %d", sender, d.Name, resp.StatusCode, resp.Body, w.status)
			}
			if resp.StatusCode == http.StatusAccepted {
				var rb reply
				json.Unmarshal([]byte(resp.Body), &rb)
				want[sender+"/"+rb.EventID] = body
			}
		}
	}
	got := r.receiveAll(t)
	if len(got) != len(want) {
		t.Errorf("received %d events, want %d", len(got), len(want))
	}
	for id, body := range want {
		if string(got[id]) != string(body) {
			t.Errorf("event %s: received %d bytes, want the %d bytes sent", id, len(got[id]), len(body))
		}
	}
}

func readSamples(t *testing.T, dir string) sampleFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "deliveries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sf sampleFile
	if err := json.Unmarshal(raw, &sf); err != nil {
		t.Fatal(err)
	}
	return sf
}

// TestEmulatorQueueDownReleasesClaim: when SQS refuses the message the
// sender gets 503, and its retry is not blocked by the failed attempt's
// claim once the queue is back.
func TestEmulatorQueueDownReleasesClaim(t *testing.T) {
	ids := &fakeIDs{}
	r := newEmuRig(t, testConfig(), ids, testSecrets, "-missing")
	r.now = time.Unix(1735736502, 0)
	resp, _ := r.h.Handle(context.Background(), signedStripe(customerBody))
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("queue down: status %d (%s), want 503", resp.StatusCode, resp.Body)
	}
	// The same table with a working queue: the retry must be accepted.
	q, err := queue.New(r.sqs, r.queueURL, r.table.Blobs(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.h.queue = q
	resp, _ = r.h.Handle(context.Background(), signedStripe(customerBody))
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("retry: status %d (%s), want 202", resp.StatusCode, resp.Body)
	}
	resp, _ = r.h.Handle(context.Background(), signedStripe(customerBody))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("redelivery: status %d (%s), want 200", resp.StatusCode, resp.Body)
	}
	if got := r.receiveAll(t); len(got) != 1 || string(got["stripe/evt_answers_1"]) != customerBody {
		t.Errorf("received %d events, want stripe/evt_answers_1 once", len(got))
	}
}
