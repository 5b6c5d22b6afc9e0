package awscount

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// fakeAWS answers DynamoDB and SQS JSON-protocol calls with canned bodies
// keyed by the X-Amz-Target operation, and remembers the request bodies.
type fakeAWS struct {
	mu       sync.Mutex
	answers  map[string]answer
	requests map[string][]string
}

type answer struct {
	status int
	body   string
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	op := target[strings.LastIndex(target, ".")+1:]
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests[op] = append(f.requests[op], string(b))
	a, ok := f.answers[op]
	f.mu.Unlock()
	if !ok {
		a = answer{200, "{}"}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

func newFake(t *testing.T, answers map[string]answer) (*fakeAWS, aws.Config, string) {
	t.Helper()
	f := &fakeAWS{answers: answers, requests: map[string][]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")}
	return f, cfg, srv.URL
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestDynamoCapacity(t *testing.T) {
	f, cfg, url := newFake(t, map[string]answer{
		"PutItem":            {200, `{"ConsumedCapacity":{"TableName":"t","CapacityUnits":2}}`},
		"GetItem":            {200, `{"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}`},
		"UpdateItem":         {400, `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}`},
		"TransactWriteItems": {200, `{"ConsumedCapacity":[{"TableName":"t","CapacityUnits":4,"WriteCapacityUnits":4}]}`},
		"Query":              {200, `{"Items":[],"Count":0,"ConsumedCapacity":{"TableName":"t","CapacityUnits":1,"ReadCapacityUnits":1}}`},
	})
	c := New()
	cfg.APIOptions = append(cfg.APIOptions, c.APIOption)
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(url) })
	ctx := context.Background()
	key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}
	put := &dynamodb.PutItemInput{TableName: aws.String("t"), Item: key}
	if _, err := db.PutItem(ctx, put); err != nil {
		t.Fatal(err)
	}
	if put.ReturnConsumedCapacity != "" {
		t.Errorf("the caller's input was modified: ReturnConsumedCapacity = %q", put.ReturnConsumedCapacity)
	}
	db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("t"), Key: key})
	if _, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("t"), Key: key}); err == nil {
		t.Fatal("UpdateItem succeeded, want the conditional check failure")
	}
	db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{}, {}}})
	db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("t")})

	if got := f.requests["PutItem"][0]; !strings.Contains(got, `"ReturnConsumedCapacity":"TOTAL"`) {
		t.Errorf("PutItem request %s does not ask for the consumed capacity", got)
	}
	cs := c.Snapshot()
	want := map[string]Op{
		"PutItem":            {Requests: 1, WriteUnits: 2},
		"GetItem":            {Requests: 1, ReadUnits: 0.5},
		"UpdateItem":         {Requests: 1, Errors: 1, EstimatedWriteUnits: 1},
		"TransactWriteItems": {Requests: 1, WriteUnits: 4},
		"Query":              {Requests: 1, ReadUnits: 1},
	}
	for op, w := range want {
		var got Op
		for _, o := range cs {
			if o.Operation == op {
				got = o
			}
		}
		if got.Service != "DynamoDB" || got.Requests != w.Requests || got.Errors != w.Errors ||
			got.ReadUnits != w.ReadUnits || got.WriteUnits != w.WriteUnits || got.EstimatedWriteUnits != w.EstimatedWriteUnits {
			t.Errorf("%s: got %+v, want %+v", op, got, w)
		}
	}
	tot := cs.Totals()
	if tot.DynamoRequests != 5 || tot.WriteUnits != 7 || tot.EstimatedWriteUnits != 1 || tot.ReadUnits != 1.5 {
		t.Errorf("totals = %+v, want 5 requests, 7 write units (1 estimated), 1.5 read units", tot)
	}
}

func TestSQSPayload(t *testing.T) {
	big := strings.Repeat("x", 70<<10)
	recv, _ := json.Marshal(map[string]any{"Messages": []map[string]string{
		{"MessageId": "1", "ReceiptHandle": "r1", "Body": "hello", "MD5OfBody": md5hex("hello")},
		{"MessageId": "2", "ReceiptHandle": "r2", "Body": big, "MD5OfBody": md5hex(big)},
	}})
	_, cfg, url := newFake(t, map[string]answer{
		"SendMessage":    {200, `{"MessageId":"m","MD5OfMessageBody":"` + md5hex("abc") + `"}`},
		"ReceiveMessage": {200, string(recv)},
	})
	c := New()
	cfg.APIOptions = append(cfg.APIOptions, c.APIOption)
	q := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(url) })
	ctx := context.Background()
	if _, err := q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url + "/q"), MessageBody: aws.String("abc")}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url + "/q")}); err != nil {
		t.Fatal(err)
	}
	q.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url + "/q"),
		Entries: []sqstypes.DeleteMessageBatchRequestEntry{{Id: aws.String("0"), ReceiptHandle: aws.String("r1")}}})
	cs := c.Snapshot()
	cases := []struct {
		op      string
		payload int64
		chunks  int
	}{
		{"SendMessage", 3, 1},
		{"ReceiveMessage", int64(5 + len(big)), 2},
		{"DeleteMessageBatch", 0, 1},
	}
	for _, cse := range cases {
		var got Op
		for _, o := range cs {
			if o.Operation == cse.op {
				got = o
			}
		}
		if got.Service != "SQS" || got.Requests != 1 || got.PayloadBytes != cse.payload || got.Chunks != cse.chunks {
			t.Errorf("%s: got %+v, want 1 request of %d bytes in %d chunks", cse.op, got, cse.payload, cse.chunks)
		}
	}
	if tot := cs.Totals(); tot.SQSRequests != 3 || tot.SQSChunks != 4 {
		t.Errorf("totals = %+v, want 3 requests billed as 4", tot)
	}
	if cs.Requests("SQS", "SendMessage") != 1 || cs.Requests("SQS", "Nope") != 0 {
		t.Errorf("Requests lookup wrong: %+v", cs)
	}
}

// TestEarlyEmptyReceives: an empty answer long before the long poll's
// wait is the emulator's, not SQS's, and is not billed.
func TestEarlyEmptyReceives(t *testing.T) {
	_, cfg, url := newFake(t, map[string]answer{"ReceiveMessage": {200, `{"Messages":[]}`}})
	c := New()
	cfg.APIOptions = append(cfg.APIOptions, c.APIOption)
	q := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(url) })
	ctx := context.Background()
	for _, wait := range []int32{5, 0} {
		if _, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url + "/q"), WaitTimeSeconds: wait}); err != nil {
			t.Fatal(err)
		}
	}
	cs := c.Snapshot()
	if len(cs) != 1 || cs[0].Requests != 2 || cs[0].EarlyEmpty != 1 || cs[0].Chunks != 1 {
		t.Errorf("counts = %+v, want 2 receives, 1 early empty, 1 billed", cs)
	}
	if tot := cs.Totals(); tot.SQSEarlyEmpty != 1 || tot.SQSChunks != 1 {
		t.Errorf("totals = %+v, want 1 early empty and 1 billed request", tot)
	}
}
