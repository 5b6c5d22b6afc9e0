package queue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/shared/core"
)

// Message is one envelope for SendBatch, with its delay (clamped as in Send).
type Message struct {
	Env   *core.Envelope
	Delay time.Duration
}

// EntryError is SQS's refusal of one entry of a SendMessageBatch.
type EntryError struct {
	Code    string
	Message string
	// SenderFault is SQS's verdict: true means the entry itself was bad.
	SenderFault bool
}

// Error gives SQS's code and message.
func (e *EntryError) Error() string {
	return fmt.Sprintf("sqs refused the entry: %s: %s", e.Code, e.Message)
}

// errNoResult reports an entry SQS answered neither way.
var errNoResult = errors.New("sqs returned no result for the entry")

// SendBatch sends many envelopes with as few SendMessageBatch calls as SQS
// allows (10 entries and BatchLimit bytes per call). It returns one error per
// message, in order: nil when sent, else why not (an envelope that could not
// be prepared, an *EntryError, or the failed request's error for every entry
// it carried). Entries are never retried here; the caller decides.
func (q *Queue) SendBatch(ctx context.Context, msgs []Message) []error {
	errs := make([]error, len(msgs))
	outs := make([]outgoing, len(msgs))
	var ready []int
	for i, m := range msgs {
		var err error
		if outs[i], err = q.prepare(ctx, m.Env); err != nil {
			errs[i] = fmt.Errorf("send: %w", err)
			continue
		}
		ready = append(ready, i)
	}
	sizes := make([]int, len(ready))
	for j, i := range ready {
		sizes[j] = outs[i].size
	}
	for _, c := range chunk(sizes, maxBatchEntries, q.opt.BatchLimit) {
		idx := make([]int, len(c))
		for j, k := range c {
			idx[j] = ready[k]
		}
		q.sendChunk(ctx, idx, msgs, outs, errs)
	}
	return errs
}

// chunk packs entries (by size, in order) into groups of at most n entries
// whose sizes sum to at most limit; an entry larger than limit goes alone.
// It returns positions into sizes.
func chunk(sizes []int, n, limit int) [][]int {
	var groups [][]int
	var cur []int
	total := 0
	for i, s := range sizes {
		if len(cur) > 0 && (len(cur) == n || total+s > limit) {
			groups = append(groups, cur)
			cur, total = nil, 0
		}
		cur = append(cur, i)
		total += s
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups
}

// sendChunk sends the messages at idx in one request and records each
// one's outcome in errs.
func (q *Queue) sendChunk(ctx context.Context, idx []int, msgs []Message, outs []outgoing, errs []error) {
	if len(idx) == 1 && outs[idx[0]].size > q.opt.BatchLimit {
		i := idx[0]
		_, err := q.client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q.url),
			MessageBody: aws.String(string(outs[i].body)), DelaySeconds: ClampDelay(msgs[i].Delay),
			MessageAttributes: outs[i].attrs})
		if err != nil {
			errs[i] = fmt.Errorf("send: %w", err)
		}
		return
	}
	entries := make([]types.SendMessageBatchRequestEntry, len(idx))
	for j, i := range idx {
		entries[j] = types.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(j)),
			MessageBody: aws.String(string(outs[i].body)), DelaySeconds: ClampDelay(msgs[i].Delay),
			MessageAttributes: outs[i].attrs}
	}
	out, err := q.client.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q.url), Entries: entries})
	if err != nil {
		for _, i := range idx {
			errs[i] = fmt.Errorf("send batch: %w", err)
		}
		return
	}
	recordResults(out, idx, errs)
}

// recordResults maps a batch answer's entry ids back to messages.
func recordResults(out *sqs.SendMessageBatchOutput, idx []int, errs []error) {
	answered := make([]bool, len(idx))
	for _, s := range out.Successful {
		if j, ok := entryPos(s.Id, len(idx)); ok {
			answered[j] = true
		}
	}
	for _, f := range out.Failed {
		if j, ok := entryPos(f.Id, len(idx)); ok {
			answered[j] = true
			errs[idx[j]] = fmt.Errorf("send batch: %w", &EntryError{Code: aws.ToString(f.Code),
				Message: aws.ToString(f.Message), SenderFault: f.SenderFault})
		}
	}
	for j, ok := range answered {
		if !ok {
			errs[idx[j]] = fmt.Errorf("send batch: %w", errNoResult)
		}
	}
}

func entryPos(id *string, n int) (int, bool) {
	j, err := strconv.Atoi(aws.ToString(id))
	return j, err == nil && j >= 0 && j < n
}
