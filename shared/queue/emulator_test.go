package queue_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/infra/local/provision"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/dynamo"
	"github.com/zohosync/zohosync/shared/queue"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

// stack is a freshly provisioned table and queues with the adapters on them.
type stack struct {
	names *provision.Names
	sqs   *sqs.Client
	blobs *dynamo.Blobs
	url   string
	dlq   string
}

func mustStack(t testing.TB) *stack {
	t.Helper()
	names := emutest.Provision(t)
	tb, err := dynamo.New(emutest.Dynamo(t), names.Tables["StateTable"], dynamo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &stack{names: names, sqs: emutest.SQS(t), blobs: tb.Blobs(),
		url: names.QueueURLs["EventsQueue"], dlq: names.QueueURLs["EventsDLQ"]}
}

// receive long-polls once for up to wait and returns what arrived.
func (s *stack) receive(t testing.TB, url string, wait time.Duration) []types.Message {
	t.Helper()
	out, err := s.sqs.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: int32(wait / time.Second),
		MessageAttributeNames:       []string{"All"},
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
	})
	if err != nil {
		t.Fatalf("ReceiveMessage: %v", err)
	}
	return out.Messages
}

// drain receives until n messages have arrived or the deadline passes.
func (s *stack) drain(t testing.TB, url string, n int, within time.Duration) []types.Message {
	t.Helper()
	var got []types.Message
	for deadline := time.Now().Add(within); len(got) < n && time.Now().Before(deadline); {
		for _, m := range s.receive(t, url, 2*time.Second) {
			got = append(got, m)
			_, err := s.sqs.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return got
}

func TestEmulatorDelayedRoundTrip(t *testing.T) {
	s := mustStack(t)
	q, err := queue.New(s.sqs, s.url, s.blobs, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := fixture(t, "stripe", "customer.created.json")
	env := envelope("stripe", "evt_delayed", body)
	sent := time.Now()
	if err := q.Send(context.Background(), env, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if early := s.receive(t, s.url, time.Second); len(early) != 0 {
		t.Fatalf("message visible %v after a 2 s delayed send", time.Since(sent))
	}
	msgs := s.drain(t, s.url, 1, 15*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d messages delivered, want 1", len(msgs))
	}
	if d := time.Since(sent); d < 1900*time.Millisecond {
		t.Errorf("delivered after %v, before the 2 s delay", d)
	}
	got, raw, err := queue.Decode(context.Background(), aws.ToString(msgs[0].Body), s.blobs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, body) || got.EventID != env.EventID || got.BodyRef != "" {
		t.Errorf("round trip changed the event (body %d bytes, id %q, ref %q)", len(raw), got.EventID, got.BodyRef)
	}
	for name, want := range map[string]string{"source": "stripe", "org": "acme", "event_id": "evt_delayed"} {
		if v := aws.ToString(msgs[0].MessageAttributes[name].StringValue); v != want {
			t.Errorf("attribute %s = %q, want %q", name, v, want)
		}
	}
}

func TestEmulatorTwoHourDelayIsClamped(t *testing.T) {
	s := mustStack(t)
	ctx := context.Background()
	env := envelope("stripe", "evt_later", []byte(`{"id":"evt_later"}`))
	b, _ := json.Marshal(env)
	_, rawErr := s.sqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(s.url),
		MessageBody: aws.String(string(b)), DelaySeconds: 7200})
	if rawErr == nil {
		t.Log("note: the emulator accepted DelaySeconds=7200, which real SQS refuses")
	}
	q, err := queue.New(s.sqs, s.url, s.blobs, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Send(ctx, env, 2*time.Hour); err != nil {
		t.Fatalf("Send with a 2 h delay: %v", err)
	}
	if got := s.receive(t, s.url, time.Second); len(got) != 0 {
		t.Errorf("%d messages visible at once; want the 900 s delay", len(got))
	}
	out, err := s.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(s.url),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessagesDelayed}})
	if err != nil {
		t.Fatal(err)
	}
	want := "1"
	if rawErr == nil {
		want = "2"
	}
	if got := out.Attributes["ApproximateNumberOfMessagesDelayed"]; got != want {
		t.Errorf("delayed messages = %s, want %s", got, want)
	}
}

func TestEmulatorLargeBodyClaimCheck(t *testing.T) {
	s := mustStack(t)
	q, err := queue.New(s.sqs, s.url, s.blobs, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := fixture(t, "shopify", "orders-create-large-over-256kb.json")
	if len(body) <= 256*1024 {
		t.Fatalf("fixture is %d bytes; the test needs more than 256 KiB", len(body))
	}
	if err := q.Send(context.Background(), envelope("shopify", "820982911946154508", body), 0); err != nil {
		t.Fatal(err)
	}
	msgs := s.drain(t, s.url, 1, 10*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	msg := aws.ToString(msgs[0].Body)
	if len(msg) > 4096 || !strings.Contains(msg, `"body_ref"`) {
		t.Errorf("message of %d bytes; want a small claim check with body_ref", len(msg))
	}
	env, raw, err := queue.Decode(context.Background(), msg, s.blobs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, body) {
		t.Errorf("body came back as %d bytes, not the %d sent byte for byte", len(raw), len(body))
	}
	if env.BodySize != len(body) {
		t.Errorf("BodySize %d, want %d", env.BodySize, len(body))
	}
}

// countingSQS counts batch calls and spoils one entry on its way out (a
// control character in its body), so the emulator itself refuses it. (fauxqs
// accepts DelaySeconds over 900, which real SQS refuses, so a delay cannot
// serve.)
type countingSQS struct {
	*sqs.Client
	mu      sync.Mutex
	batches int
	spoil   string // event id whose entry gets a body SQS refuses
}

func (c *countingSQS) SendMessageBatch(ctx context.Context, in *sqs.SendMessageBatchInput, opts ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error) {
	c.mu.Lock()
	c.batches++
	c.mu.Unlock()
	for i, e := range in.Entries {
		if strings.Contains(aws.ToString(e.MessageBody), `"event_id":"`+c.spoil+`"`) {
			in.Entries[i].MessageBody = aws.String("bad \x01 character")
		}
	}
	return c.Client.SendMessageBatch(ctx, in, opts...)
}

func TestEmulatorBatchWithBadEntries(t *testing.T) {
	s := mustStack(t)
	client := &countingSQS{Client: s.sqs, spoil: "evt_7"}
	q, err := queue.New(client, s.url, s.blobs, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	msgs := make([]queue.Message, 12)
	for i := range msgs {
		msgs[i] = queue.Message{Env: envelope("stripe", "evt_"+strconv.Itoa(i), []byte(`{"n":`+strconv.Itoa(i)+`}`))}
	}
	msgs[3].Env.Org = "" // cannot be prepared: never sent
	errs := q.SendBatch(context.Background(), msgs)
	var refused *queue.EntryError
	for i, err := range errs {
		switch i {
		case 3:
			if err == nil {
				t.Errorf("envelope without org was sent")
			}
		case 7:
			if !errorsAs(err, &refused) {
				t.Errorf("entry SQS refused: err = %v, want an *EntryError", err)
			}
		default:
			if err != nil {
				t.Errorf("message %d: %v", i, err)
			}
		}
	}
	if client.batches != 2 {
		t.Errorf("%d SendMessageBatch calls for 11 entries, want 2", client.batches)
	}
	got := s.drain(t, s.url, 10, 15*time.Second)
	if len(got) != 10 {
		t.Errorf("%d messages arrived, want 10", len(got))
	}
	for _, m := range got {
		env, _, err := queue.Decode(context.Background(), aws.ToString(m.Body), s.blobs)
		if err != nil || env.EventID == "evt_3" || env.EventID == "evt_7" {
			t.Errorf("received %v, %v", env, err)
		}
	}
}

func TestEmulatorPoisonMessageRedrive(t *testing.T) {
	s := mustStack(t)
	ctx := context.Background()
	out, err := s.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(s.url),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameRedrivePolicy}})
	if err != nil {
		t.Fatal(err)
	}
	var policy struct {
		MaxReceiveCount json.Number `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(out.Attributes["RedrivePolicy"]), &policy); err != nil {
		t.Fatalf("RedrivePolicy %q: %v", out.Attributes["RedrivePolicy"], err)
	}
	max, err := policy.MaxReceiveCount.Int64()
	if err != nil || max < 1 {
		t.Fatalf("maxReceiveCount %q", policy.MaxReceiveCount)
	}
	if _, err := s.sqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(s.url),
		MessageBody: aws.String("not an envelope")}); err != nil {
		t.Fatal(err)
	}
	for i := int64(1); i <= max; i++ {
		msgs := s.receive(t, s.url, 5*time.Second)
		if len(msgs) != 1 {
			t.Fatalf("receive %d of %d: %d messages", i, max, len(msgs))
		}
		if _, _, err := queue.Decode(ctx, aws.ToString(msgs[0].Body), s.blobs); !errorsIs(err, queue.ErrPoison) {
			t.Fatalf("Decode = %v, want poison", err)
		}
		// The sync handler reports it as failed: make it visible again now.
		if _, err := s.sqs.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(s.url),
			ReceiptHandle: msgs[0].ReceiptHandle, VisibilityTimeout: 0}); err != nil {
			t.Fatal(err)
		}
	}
	if msgs := s.receive(t, s.url, time.Second); len(msgs) != 0 {
		t.Errorf("message still in the events queue after %d receives", max)
	}
	dead := s.drain(t, s.dlq, 1, 10*time.Second)
	if len(dead) != 1 || aws.ToString(dead[0].Body) != "not an envelope" {
		t.Errorf("dead-letter queue holds %d messages, want the poison one", len(dead))
	}
}

var _ core.Blobs = (*dynamo.Blobs)(nil)
