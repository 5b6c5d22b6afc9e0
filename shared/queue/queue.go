package queue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/shared/core"
)

// SQSAPI is the part of the SQS client Queue uses; *sqs.Client satisfies it.
type SQSAPI interface {
	SendMessage(context.Context, *sqs.SendMessageInput, ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
	SendMessageBatch(context.Context, *sqs.SendMessageBatchInput, ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error)
}

var _ SQSAPI = (*sqs.Client)(nil)

// Size limits.
const (
	// DefaultInlineLimit is the largest message (body plus attributes) sent
	// inline: SQS's 256 KiB minus a 4 KiB safety margin.
	DefaultInlineLimit = 256*1024 - 4*1024
	// DefaultBatchLimit is SQS's limit on one SendMessageBatch's payload.
	DefaultBatchLimit = 256 * 1024
	// maxLimit is SQS's largest message size (1 MiB).
	maxLimit = 1024 * 1024
	// maxBatchEntries is SQS's limit of entries per SendMessageBatch.
	maxBatchEntries = 10
)

// ErrTooLarge reports an envelope that does not fit in a message even with
// its body stored out of band (or with no blob store to put it in).
var ErrTooLarge = errors.New("envelope too large for a queue message")

// Options tune a Queue. Zero values take the defaults.
type Options struct {
	// InlineLimit is the largest message sent as is; a larger one has its
	// body stored through Blobs. Default DefaultInlineLimit; at most 1 MiB.
	InlineLimit int
	// BatchLimit bounds the summed size of one SendMessageBatch's entries.
	// Default DefaultBatchLimit; at most 1 MiB.
	BatchLimit int
}

// Queue sends envelopes to the events queue; it implements core.Queue. It is
// safe for concurrent use.
type Queue struct {
	client SQSAPI
	url    string
	blobs  core.Blobs
	opt    Options
}

var _ core.Queue = (*Queue)(nil)

// New returns a Queue sending to queueURL. blobs stores bodies too large for
// a message; with nil blobs such envelopes fail with ErrTooLarge.
func New(client SQSAPI, queueURL string, blobs core.Blobs, opt Options) (*Queue, error) {
	if client == nil || queueURL == "" {
		return nil, errors.New("queue: nil client or empty queue URL")
	}
	if opt.InlineLimit < 0 || opt.InlineLimit > maxLimit || opt.BatchLimit < 0 || opt.BatchLimit > maxLimit {
		return nil, fmt.Errorf("queue: size limits must be within 0..%d bytes", maxLimit)
	}
	if opt.InlineLimit == 0 {
		opt.InlineLimit = DefaultInlineLimit
	}
	if opt.BatchLimit == 0 {
		opt.BatchLimit = DefaultBatchLimit
	}
	return &Queue{client: client, url: queueURL, blobs: blobs, opt: opt}, nil
}

// Send enqueues env after delay, clamped into [0 s, 900 s] so a retry can
// never fail on its delay (longer waits are the caller's, through
// Envelope.NotBefore). A message over the inline limit has its body stored
// through Blobs and carries BodyRef instead; nothing is ever truncated.
// Send records BodySize and BodySHA256 (lower-case hex) of an inline body;
// env itself is not modified.
func (q *Queue) Send(ctx context.Context, env *core.Envelope, delay time.Duration) error {
	m, err := q.prepare(ctx, env)
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	_, err = q.client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:          aws.String(q.url),
		MessageBody:       aws.String(string(m.body)),
		DelaySeconds:      ClampDelay(delay),
		MessageAttributes: m.attrs,
	})
	if err != nil {
		return fmt.Errorf("send %s/%s: %w", env.Source, env.EventID, err)
	}
	return nil
}

// outgoing is an envelope ready to send.
type outgoing struct {
	body  []byte
	attrs map[string]types.MessageAttributeValue
	size  int
}

// prepare encodes env, storing its body out of band when the message would
// exceed the inline limit.
func (q *Queue) prepare(ctx context.Context, env *core.Envelope) (outgoing, error) {
	if err := check(env); err != nil {
		return outgoing{}, err
	}
	c := *env
	var raw []byte
	var sum [32]byte
	inline := c.Body != "" || c.BodyRef == ""
	if inline {
		var err error
		if raw, err = c.RawBody(); err != nil {
			return outgoing{}, fmt.Errorf("%s/%s: %w", c.Source, c.EventID, err)
		}
		sum = sha256.Sum256(raw)
		c.BodySize, c.BodySHA256 = len(raw), hex.EncodeToString(sum[:])
	}
	m, err := q.encode(&c)
	if err != nil || m.size <= q.opt.InlineLimit {
		return m, err
	}
	if !inline || q.blobs == nil {
		return outgoing{}, fmt.Errorf("%s/%s: %d bytes over the %d-byte limit: %w",
			c.Source, c.EventID, m.size, q.opt.InlineLimit, ErrTooLarge)
	}
	key := BlobKey(c.Source, c.EventID, sum)
	if err := q.blobs.PutBlob(ctx, key, raw); err != nil {
		return outgoing{}, fmt.Errorf("%s/%s: store body out of band: %w", c.Source, c.EventID, err)
	}
	c.Body, c.BodyEncoding, c.BodyRef = "", "", key
	if m, err = q.encode(&c); err != nil || m.size <= q.opt.InlineLimit {
		return m, err
	}
	return outgoing{}, fmt.Errorf("%s/%s: %d bytes without the body, over the %d-byte limit: %w",
		c.Source, c.EventID, m.size, q.opt.InlineLimit, ErrTooLarge)
}

func (q *Queue) encode(env *core.Envelope) (outgoing, error) {
	b, err := encode(env)
	if err != nil {
		return outgoing{}, err
	}
	attrs := attributes(env)
	return outgoing{body: b, attrs: attrs, size: messageSize(b, attrs)}, nil
}

// check refuses an envelope the sync side could not decode, so nothing
// poison is ever enqueued.
func check(env *core.Envelope) error {
	switch {
	case env == nil:
		return errors.New("nil envelope")
	case env.V != core.EnvelopeVersion:
		return fmt.Errorf("envelope version %d, want %d", env.V, core.EnvelopeVersion)
	case env.Source == "" || env.EventID == "" || env.Org == "":
		return errors.New("envelope lacks source, event_id or org")
	}
	return nil
}
