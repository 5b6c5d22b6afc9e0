package stack

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/infra/local/frontdoor"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/poller"
)

// Handlers are the functions the stack invokes.
type Handlers struct {
	Ingest lambdaemu.Invoker
	Sync   lambdaemu.Invoker
	// Admin and Refresh are invoked by the runner directly (connect) and
	// by `make invoke`; the stack itself never calls them.
	Admin   lambdaemu.Invoker
	Refresh lambdaemu.Invoker
}

// ServeOptions configures Serve.
type ServeOptions struct {
	// Addr is the front door's address (default 127.0.0.1:3000).
	Addr string
	Log  *slog.Logger
	// OnBatch sees every settled sync batch.
	OnBatch func(poller.Batch)
	// Window, when positive, replaces the template's batching window (tests
	// that post one delivery at a time need not wait for it).
	Window time.Duration
}

// Running is a serving stack: front door and poller.
type Running struct {
	URL    string // front door base URL, e.g. http://127.0.0.1:3000
	stack  *Stack
	srv    *http.Server
	poller *poller.Poller
	cancel context.CancelFunc
	done   chan struct{}
}

// Serve starts the front door and the poller.
func (s *Stack) Serve(ctx context.Context, h Handlers, opt ServeOptions) (*Running, error) {
	if h.Ingest == nil || h.Sync == nil {
		return nil, fmt.Errorf("serve: the ingest and sync functions are required")
	}
	m, err := s.EventSourceMapping()
	if err != nil {
		return nil, err
	}
	if opt.Addr == "" {
		opt.Addr = "127.0.0.1:3000"
	}
	if opt.Window > 0 {
		m.Window = opt.Window
	}
	fd := &frontdoor.Server{Function: h.Ingest, Log: opt.Log}
	srv, l, err := fd.Listen(opt.Addr)
	if err != nil {
		return nil, err
	}
	p, err := poller.New(poller.Config{Client: s.SQS, QueueURL: s.Names.QueueURLs["EventsQueue"],
		QueueARN: s.Names.QueueARNs["EventsQueue"], BatchSize: m.BatchSize, Window: m.Window,
		MaxConcurrency: m.MaxConcurrency, Function: h.Sync, Log: opt.Log, OnBatch: opt.OnBatch})
	if err != nil {
		srv.Close()
		return nil, err
	}
	pctx, cancel := context.WithCancel(ctx)
	r := &Running{URL: "http://" + l.Addr().String(), stack: s, srv: srv, poller: p, cancel: cancel, done: make(chan struct{})}
	go func() { p.Run(pctx); close(r.done) }()
	return r, nil
}

// Stop closes the front door, then stops the poller once batches in hand
// are settled.
func (r *Running) Stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.srv.Shutdown(ctx)
	r.cancel()
	<-r.done
}

// Settled reports whether nothing is left to do: the events queue holds no
// visible, in-flight or delayed message and no poller holds a batch.
func (r *Running) Settled(ctx context.Context) (bool, error) {
	if r.poller.Busy() > 0 {
		return false, nil
	}
	out, err := r.stack.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(r.stack.Names.QueueURLs["EventsQueue"]),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll},
	})
	if err != nil {
		return false, fmt.Errorf("queue depth: %w", err)
	}
	for _, a := range []string{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"} {
		if n, _ := strconv.Atoi(out.Attributes[a]); n > 0 {
			return false, nil
		}
	}
	return r.poller.Busy() == 0, nil
}

// WaitSettled polls Settled until it holds twice in a row (a batch can
// move between queue and poller between the two reads) or ctx ends.
func (r *Running) WaitSettled(ctx context.Context) error {
	streak := 0
	for {
		ok, err := r.Settled(ctx)
		if err != nil {
			return err
		}
		if ok {
			streak++
		} else {
			streak = 0
		}
		if streak >= 2 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
