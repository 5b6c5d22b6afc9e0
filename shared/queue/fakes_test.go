package queue_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/shared/core"
)

// fakeSQS records what is sent and enforces SQS's limits, so a test fails
// when the adapter sends something real SQS would refuse.
type fakeSQS struct {
	mu      sync.Mutex
	sent    []sentMessage
	calls   int
	batches []int // entries per SendMessageBatch
	// failIDs makes SendMessageBatch refuse entries whose body contains one
	// of these event ids.
	failIDs []string
	// err fails every request.
	err error
}

type sentMessage struct {
	body  string
	delay int32
	attrs map[string]types.MessageAttributeValue
}

const sqsMaxMessage = 256 * 1024

func (f *fakeSQS) SendMessage(_ context.Context, in *sqs.SendMessageInput, _ ...func(*sqs.Options)) (*sqs.SendMessageOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	if err := validate(aws.ToString(in.MessageBody), in.DelaySeconds, in.MessageAttributes); err != nil {
		return nil, err
	}
	f.sent = append(f.sent, sentMessage{aws.ToString(in.MessageBody), in.DelaySeconds, in.MessageAttributes})
	return &sqs.SendMessageOutput{MessageId: aws.String(strconv.Itoa(len(f.sent)))}, nil
}

func (f *fakeSQS) SendMessageBatch(_ context.Context, in *sqs.SendMessageBatchInput, _ ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	if len(in.Entries) == 0 || len(in.Entries) > 10 {
		return nil, fmt.Errorf("fake SQS: %d entries in a batch", len(in.Entries))
	}
	total := 0
	for _, e := range in.Entries {
		total += size(aws.ToString(e.MessageBody), e.MessageAttributes)
	}
	if total > sqsMaxMessage {
		return nil, fmt.Errorf("fake SQS: batch payload of %d bytes", total)
	}
	f.batches = append(f.batches, len(in.Entries))
	out := &sqs.SendMessageBatchOutput{}
	for _, e := range in.Entries {
		body := aws.ToString(e.MessageBody)
		if f.refuses(body) {
			out.Failed = append(out.Failed, types.BatchResultErrorEntry{Id: e.Id, Code: aws.String("InvalidMessageContents"),
				Message: aws.String("refused by the fake"), SenderFault: true})
			continue
		}
		if err := validate(body, e.DelaySeconds, e.MessageAttributes); err != nil {
			return nil, err
		}
		f.sent = append(f.sent, sentMessage{body, e.DelaySeconds, e.MessageAttributes})
		out.Successful = append(out.Successful, types.SendMessageBatchResultEntry{Id: e.Id})
	}
	return out, nil
}

func (f *fakeSQS) refuses(body string) bool {
	for _, id := range f.failIDs {
		if env, err := core.UnmarshalEnvelope([]byte(body)); err == nil && env.EventID == id {
			return true
		}
	}
	return false
}

func size(body string, attrs map[string]types.MessageAttributeValue) int {
	n := len(body)
	for k, a := range attrs {
		n += len(k) + len(aws.ToString(a.DataType)) + len(aws.ToString(a.StringValue))
	}
	return n
}

// validate applies SQS's rules for one message.
func validate(body string, delay int32, attrs map[string]types.MessageAttributeValue) error {
	if n := size(body, attrs); n > sqsMaxMessage {
		return fmt.Errorf("fake SQS: message of %d bytes", n)
	}
	if delay < 0 || delay > 900 {
		return fmt.Errorf("fake SQS: DelaySeconds %d", delay)
	}
	if !allowed(body) {
		return errors.New("fake SQS: InvalidMessageContents")
	}
	for k, a := range attrs {
		if v := aws.ToString(a.StringValue); v == "" || !allowed(v) {
			return fmt.Errorf("fake SQS: attribute %s value %q", k, v)
		}
	}
	return nil
}

func allowed(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !(r == 9 || r == 10 || r == 13 || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000) {
			return false
		}
	}
	return true
}

// fakeBlobs is an in-memory blob store; err fails every call.
type fakeBlobs struct {
	mu  sync.Mutex
	m   map[string][]byte
	err error
}

func newFakeBlobs() *fakeBlobs { return &fakeBlobs{m: map[string][]byte{}} }

func (b *fakeBlobs) PutBlob(_ context.Context, key string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return b.err
	}
	b.m[key] = append([]byte(nil), data...)
	return nil
}

func (b *fakeBlobs) GetBlob(_ context.Context, key string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return nil, b.err
	}
	d, ok := b.m[key]
	if !ok {
		return nil, fmt.Errorf("fake: %w", core.ErrBlobNotFound)
	}
	return append([]byte(nil), d...), nil
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func errorsIs(err, target error) bool { return errors.Is(err, target) }
