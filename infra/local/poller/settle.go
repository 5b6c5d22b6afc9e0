package poller

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/infra/local/lambdaemu"
)

// ErrInvalidResponse reports a function response that Lambda treats as a
// failure of the whole batch: not JSON, or an itemIdentifier that is empty
// or names no message of the batch.
var ErrInvalidResponse = errors.New("invalid batch response")

// invoke sends one batch to the function and settles it.
func (p *Poller) invoke(ctx context.Context, msgs []sqstypes.Message) Batch {
	ev := p.Event(msgs)
	b := Batch{MessageIDs: make([]string, len(msgs))}
	for i, m := range msgs {
		b.MessageIDs[i] = aws.ToString(m.MessageId)
	}
	failed, err := p.call(ctx, &ev)
	if err != nil {
		b.Err, b.Failed = err, b.MessageIDs
		p.cfg.Log.Warn("batch failed; every message stays on the queue", "messages", len(msgs), "error", err)
		return b
	}
	var del []sqstypes.Message
	for _, m := range msgs {
		if failed[aws.ToString(m.MessageId)] {
			b.Failed = append(b.Failed, aws.ToString(m.MessageId))
		} else {
			del = append(del, m)
		}
	}
	b.Deleted = p.delete(ctx, del)
	return b
}

// call invokes the function and returns the reported failures.
func (p *Poller) call(ctx context.Context, ev *events.SQSEvent) (map[string]bool, error) {
	payload, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode event: %w", err)
	}
	out, err := p.cfg.Function.Invoke(ctx, payload)
	if err != nil {
		return nil, err
	}
	return parseFailures(out, ev)
}

// parseFailures applies Lambda's rules for a ReportBatchItemFailures
// response: null, {} or an empty list is full success; anything it cannot
// read, or an identifier that names no message of the batch, fails the
// whole batch.
func parseFailures(out []byte, ev *events.SQSEvent) (map[string]bool, error) {
	failed := map[string]bool{}
	if len(bytes.TrimSpace(out)) == 0 || bytes.Equal(bytes.TrimSpace(out), []byte("null")) {
		return failed, nil
	}
	var resp struct {
		Failures []map[string]*string `json:"batchItemFailures"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidResponse, err)
	}
	ids := make(map[string]bool, len(ev.Records))
	for _, r := range ev.Records {
		ids[r.MessageId] = true
	}
	for _, f := range resp.Failures {
		id := f["itemIdentifier"]
		if id == nil || *id == "" || !ids[*id] {
			return nil, fmt.Errorf("%w: batch item failure %v", ErrInvalidResponse, f)
		}
		failed[*id] = true
	}
	return failed, nil
}

// delete removes messages in chunks of ten and returns how many went.
func (p *Poller) delete(ctx context.Context, msgs []sqstypes.Message) int {
	n := 0
	for start := 0; start < len(msgs); start += 10 {
		chunk := msgs[start:min(start+10, len(msgs))]
		in := &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(p.cfg.QueueURL)}
		for i, m := range chunk {
			in.Entries = append(in.Entries, sqstypes.DeleteMessageBatchRequestEntry{
				Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle,
			})
		}
		out, err := p.cfg.Client.DeleteMessageBatch(ctx, in)
		if err != nil {
			p.cfg.Log.Warn("delete settled messages", "error", err)
			continue
		}
		n += len(out.Successful)
		for _, f := range out.Failed {
			p.cfg.Log.Warn("delete settled message", "code", aws.ToString(f.Code), "message", aws.ToString(f.Message))
		}
	}
	return n
}

// Event builds the SQS event Lambda would deliver for msgs.
func (p *Poller) Event(msgs []sqstypes.Message) events.SQSEvent {
	ev := events.SQSEvent{Records: make([]events.SQSMessage, 0, len(msgs))}
	for _, m := range msgs {
		rec := events.SQSMessage{
			MessageId:              aws.ToString(m.MessageId),
			ReceiptHandle:          aws.ToString(m.ReceiptHandle),
			Body:                   aws.ToString(m.Body),
			Md5OfBody:              aws.ToString(m.MD5OfBody),
			Md5OfMessageAttributes: aws.ToString(m.MD5OfMessageAttributes),
			Attributes:             map[string]string{},
			MessageAttributes:      map[string]events.SQSMessageAttribute{},
			EventSourceARN:         p.cfg.QueueARN,
			EventSource:            "aws:sqs",
			AWSRegion:              lambdaemu.Region,
		}
		for k, v := range m.Attributes {
			rec.Attributes[k] = v
		}
		for k, v := range m.MessageAttributes {
			rec.MessageAttributes[k] = events.SQSMessageAttribute{
				StringValue:      v.StringValue,
				BinaryValue:      v.BinaryValue,
				StringListValues: append([]string{}, v.StringListValues...),
				BinaryListValues: append([][]byte{}, v.BinaryListValues...),
				DataType:         aws.ToString(v.DataType),
			}
		}
		ev.Records = append(ev.Records, rec)
	}
	return ev
}
