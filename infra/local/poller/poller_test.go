package poller_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/poller"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

// queue makes a fresh queue whose messages come back one second after a
// failed batch.
func queue(t *testing.T) (*sqs.Client, string, string) {
	t.Helper()
	c := emutest.SQS(t)
	ctx := context.Background()
	out, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(emutest.Name("poller")),
		Attributes: map[string]string{"VisibilityTimeout": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	return c, aws.ToString(out.QueueUrl), attrs.Attributes["QueueArn"]
}

func send(t *testing.T, c *sqs.Client, url string, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		out, err := c.SendMessage(context.Background(), &sqs.SendMessageInput{
			QueueUrl: aws.String(url), MessageBody: aws.String(fmt.Sprintf(`{"n":%d}`, i)),
			MessageAttributes: map[string]sqstypes.MessageAttributeValue{
				"kind": {DataType: aws.String("String"), StringValue: aws.String("test")},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.ToString(out.MessageId))
	}
	return ids
}

// run starts a poller and returns a channel of settled batches and a stop
// function that waits for it.
func run(t *testing.T, cfg poller.Config) (<-chan poller.Batch, func()) {
	t.Helper()
	batches := make(chan poller.Batch, 100)
	cfg.OnBatch = func(b poller.Batch) { batches <- b }
	p, err := poller.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	return batches, func() { cancel(); <-done }
}

func next(t *testing.T, batches <-chan poller.Batch) poller.Batch {
	t.Helper()
	select {
	case b := <-batches:
		return b
	case <-time.After(30 * time.Second):
		t.Fatal("no batch within 30 s")
	}
	return poller.Batch{}
}

func fn(h func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) lambdaemu.Invoker {
	return lambdaemu.NewInProcess("sync", 5*time.Second, h)
}

// depth returns visible + in-flight messages.
func depth(t *testing.T, c *sqs.Client, url string) int {
	t.Helper()
	out, err := c.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := strconv.Atoi(out.Attributes["ApproximateNumberOfMessages"])
	nv, _ := strconv.Atoi(out.Attributes["ApproximateNumberOfMessagesNotVisible"])
	return v + nv
}

func TestEventShape(t *testing.T) {
	c, url, arn := queue(t)
	ids := send(t, c, url, 1)
	got := make(chan events.SQSEvent, 1)
	batches, stop := run(t, poller.Config{Client: c, QueueURL: url, QueueARN: arn, BatchSize: 1,
		Function: fn(func(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
			got <- ev
			return events.SQSEventResponse{}, nil
		})})
	defer stop()
	next(t, batches)
	ev := <-got
	if len(ev.Records) != 1 {
		t.Fatalf("records = %d, want 1", len(ev.Records))
	}
	r := ev.Records[0]
	checks := []struct{ name, got, want string }{
		{"messageId", r.MessageId, ids[0]},
		{"body", r.Body, `{"n":0}`},
		{"eventSource", r.EventSource, "aws:sqs"},
		{"eventSourceARN", r.EventSourceARN, arn},
		{"awsRegion", r.AWSRegion, "us-east-1"},
		{"ApproximateReceiveCount", r.Attributes["ApproximateReceiveCount"], "1"},
		{"message attribute", aws.ToString(r.MessageAttributes["kind"].StringValue), "test"},
		{"message attribute type", r.MessageAttributes["kind"].DataType, "String"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	for _, a := range []string{"SentTimestamp", "ApproximateFirstReceiveTimestamp"} {
		if _, err := strconv.ParseInt(r.Attributes[a], 10, 64); err != nil {
			t.Errorf("attribute %s = %q, want epoch millis", a, r.Attributes[a])
		}
	}
	if r.ReceiptHandle == "" || r.Md5OfBody == "" {
		t.Errorf("receiptHandle %q / md5OfBody %q empty", r.ReceiptHandle, r.Md5OfBody)
	}
}

func TestSettling(t *testing.T) {
	cases := []struct {
		name     string
		handler  func(ev events.SQSEvent) (events.SQSEventResponse, error)
		wantLeft func(ids []string) int
		wantErr  bool
	}{
		{name: "all succeed",
			handler:  func(events.SQSEvent) (events.SQSEventResponse, error) { return events.SQSEventResponse{}, nil },
			wantLeft: func([]string) int { return 0 }},
		{name: "two reported failures stay",
			handler: func(ev events.SQSEvent) (events.SQSEventResponse, error) {
				return events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{
					{ItemIdentifier: ev.Records[1].MessageId}, {ItemIdentifier: ev.Records[3].MessageId}}}, nil
			},
			wantLeft: func([]string) int { return 2 }},
		{name: "handler error keeps the batch",
			handler: func(events.SQSEvent) (events.SQSEventResponse, error) {
				return events.SQSEventResponse{}, errors.New("boom")
			},
			wantLeft: func(ids []string) int { return len(ids) }, wantErr: true},
		{name: "panic keeps the batch",
			handler:  func(events.SQSEvent) (events.SQSEventResponse, error) { panic("boom") },
			wantLeft: func(ids []string) int { return len(ids) }, wantErr: true},
		{name: "unknown item identifier fails the batch",
			handler: func(events.SQSEvent) (events.SQSEventResponse, error) {
				return events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{ItemIdentifier: "nope"}}}, nil
			},
			wantLeft: func(ids []string) int { return len(ids) }, wantErr: true},
		{name: "empty item identifier fails the batch",
			handler: func(events.SQSEvent) (events.SQSEventResponse, error) {
				return events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{}}}, nil
			},
			wantLeft: func(ids []string) int { return len(ids) }, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, url, arn := queue(t)
			ids := send(t, c, url, 5)
			batches, stop := run(t, poller.Config{Client: c, QueueURL: url, QueueARN: arn, BatchSize: 5,
				Window: 2 * time.Second, MaxConcurrency: 1,
				Function: fn(func(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
					return tc.handler(ev)
				})})
			b := next(t, batches)
			stop()
			if len(b.MessageIDs) != 5 {
				t.Fatalf("batch of %d, want all 5 in one batch", len(b.MessageIDs))
			}
			if (b.Err != nil) != tc.wantErr {
				t.Errorf("batch error = %v, want error: %v", b.Err, tc.wantErr)
			}
			want := tc.wantLeft(ids)
			if len(b.Failed) != want || b.Deleted != 5-want {
				t.Errorf("failed %d, deleted %d; want %d and %d", len(b.Failed), b.Deleted, want, 5-want)
			}
			if got := depth(t, c, url); got != want {
				t.Errorf("messages left on the queue = %d, want %d", got, want)
			}
		})
	}
}

func TestFailedMessagesComeBack(t *testing.T) {
	c, url, arn := queue(t)
	send(t, c, url, 1)
	var calls atomic.Int32
	counts := make(chan string, 4)
	batches, stop := run(t, poller.Config{Client: c, QueueURL: url, QueueARN: arn, BatchSize: 1,
		Function: fn(func(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
			counts <- ev.Records[0].Attributes["ApproximateReceiveCount"]
			if calls.Add(1) == 1 {
				return events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{ItemIdentifier: ev.Records[0].MessageId}}}, nil
			}
			return events.SQSEventResponse{}, nil
		})})
	defer stop()
	next(t, batches)
	second := next(t, batches)
	if second.Deleted != 1 {
		t.Errorf("second delivery: deleted %d, want 1", second.Deleted)
	}
	if a, b := <-counts, <-counts; a != "1" || b != "2" {
		t.Errorf("ApproximateReceiveCount = %s then %s, want 1 then 2", a, b)
	}
}

func TestConcurrencyCap(t *testing.T) {
	c, url, arn := queue(t)
	const n, limit = 12, 3
	send(t, c, url, n)
	var mu sync.Mutex
	running, peak := 0, 0
	batches, stop := run(t, poller.Config{Client: c, QueueURL: url, QueueARN: arn, BatchSize: 1, MaxConcurrency: limit,
		Function: fn(func(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
			mu.Lock()
			running++
			peak = max(peak, running)
			mu.Unlock()
			time.Sleep(300 * time.Millisecond)
			mu.Lock()
			running--
			mu.Unlock()
			return events.SQSEventResponse{}, nil
		})})
	defer stop()
	for range n {
		next(t, batches)
	}
	mu.Lock()
	defer mu.Unlock()
	if peak > limit {
		t.Errorf("peak concurrency %d exceeds MaxConcurrency %d", peak, limit)
	}
	if peak < 2 {
		t.Errorf("peak concurrency %d: invocations never overlapped", peak)
	}
}

func TestStopFinishesBatchInHand(t *testing.T) {
	c, url, arn := queue(t)
	send(t, c, url, 1)
	started := make(chan struct{})
	batches, stop := run(t, poller.Config{Client: c, QueueURL: url, QueueARN: arn, BatchSize: 1,
		Function: fn(func(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
			close(started)
			time.Sleep(500 * time.Millisecond)
			return events.SQSEventResponse{}, nil
		})})
	<-started
	stop() // returns only after the batch in hand is settled
	select {
	case b := <-batches:
		if b.Deleted != 1 {
			t.Errorf("deleted %d, want 1", b.Deleted)
		}
	default:
		t.Fatal("Run returned before settling the batch in hand")
	}
}
