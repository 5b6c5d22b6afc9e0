package poller

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/infra/local/lambdaemu"
)

// Client is the part of the SQS API the poller uses.
type Client interface {
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, opts ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessageBatch(ctx context.Context, in *sqs.DeleteMessageBatchInput, opts ...func(*sqs.Options)) (*sqs.DeleteMessageBatchOutput, error)
}

// MaxPayload is Lambda's synchronous invocation payload limit, which caps a
// batch's total body size.
const MaxPayload = 6 << 20

// Config describes one event source mapping.
type Config struct {
	Client   Client
	QueueURL string
	QueueARN string
	// BatchSize is the most messages per invocation (default 10).
	BatchSize int
	// Window is MaximumBatchingWindowInSeconds: how long to keep gathering
	// once a batch has its first message.
	Window time.Duration
	// MaxConcurrency is the most invocations at once (default 2, Lambda's
	// minimum for MaximumConcurrency).
	MaxConcurrency int
	// Function is the sync function.
	Function lambdaemu.Invoker
	// Log receives warnings (default: discard).
	Log *slog.Logger
	// OnBatch, when set, is told about every batch once it is settled.
	OnBatch func(Batch)
}

// Batch is what became of one invocation's messages.
type Batch struct {
	MessageIDs []string
	// Failed lists the messages left on the queue: the reported batch item
	// failures, or every message when the invocation failed.
	Failed []string
	// Err is the invocation's failure, if the whole batch failed.
	Err     error
	Deleted int
}

// Poller runs an event source mapping. Its methods are safe for concurrent
// use.
type Poller struct {
	cfg  Config
	busy atomic.Int64
}

// New checks the configuration and returns a poller.
func New(cfg Config) (*Poller, error) {
	if cfg.Client == nil || cfg.QueueURL == "" || cfg.Function == nil {
		return nil, errors.New("poller: Client, QueueURL and Function are required")
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 10
	}
	if cfg.MaxConcurrency <= 0 {
		cfg.MaxConcurrency = 2
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Poller{cfg: cfg}, nil
}

// Busy reports how many workers hold messages (gathering or invoking).
func (p *Poller) Busy() int { return int(p.busy.Load()) }

// Run polls until ctx is done, then waits for batches in flight to be
// invoked and settled (each within the function's own timeout) and returns.
func (p *Poller) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range p.cfg.MaxConcurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.work(ctx)
		}()
	}
	wg.Wait()
}

func (p *Poller) work(ctx context.Context) {
	for ctx.Err() == nil {
		msgs, err := p.gather(ctx)
		if err != nil && ctx.Err() == nil {
			p.cfg.Log.Warn("receive from queue", "queue", p.cfg.QueueURL, "error", err)
			sleep(ctx, time.Second)
		}
		if len(msgs) == 0 {
			continue
		}
		// A batch in hand is invoked and settled even if ctx ends meanwhile,
		// so Ctrl-C never strands a half-handled batch.
		b := p.invoke(context.WithoutCancel(ctx), msgs)
		p.busy.Add(-1)
		if p.cfg.OnBatch != nil {
			p.cfg.OnBatch(b)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// gather long-polls for a first message, then keeps receiving until the
// batch is full, the window has passed or the payload cap is near. On
// success with messages it counts the worker busy.
func (p *Poller) gather(ctx context.Context) ([]sqstypes.Message, error) {
	first, err := p.receive(ctx, 20, p.cfg.BatchSize)
	if err != nil || len(first) == 0 {
		return nil, err
	}
	p.busy.Add(1)
	msgs, size := first, payloadSize(first)
	deadline := time.Now().Add(p.cfg.Window)
	for len(msgs) < p.cfg.BatchSize && size < MaxPayload-256<<10 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		wait := int32((left + time.Second - 1) / time.Second)
		more, err := p.receive(ctx, min(wait, 20), p.cfg.BatchSize-len(msgs))
		if err != nil {
			break // invoke with what we have; the error shows on the next poll
		}
		msgs, size = append(msgs, more...), size+payloadSize(more)
	}
	return msgs, nil
}

func (p *Poller) receive(ctx context.Context, waitSeconds int32, want int) ([]sqstypes.Message, error) {
	out, err := p.cfg.Client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl:                    aws.String(p.cfg.QueueURL),
		MaxNumberOfMessages:         int32(min(want, 10)),
		WaitTimeSeconds:             waitSeconds,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll},
		MessageAttributeNames:       []string{"All"},
	})
	if err != nil {
		return nil, fmt.Errorf("receive: %w", err)
	}
	return out.Messages, nil
}

func payloadSize(msgs []sqstypes.Message) int {
	n := 0
	for _, m := range msgs {
		n += len(aws.ToString(m.Body)) + 1024 // body plus attributes and envelope, roughly
	}
	return n
}
