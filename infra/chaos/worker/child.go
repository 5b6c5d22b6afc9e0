package worker

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/poller"
	"github.com/zohosync/zohosync/shared/app"
	"github.com/zohosync/zohosync/shared/auth"
	"github.com/zohosync/zohosync/shared/ledger"
	"github.com/zohosync/zohosync/shared/obs"
)

// controlFD is the child's end of the control pipe (the parent's first
// extra file).
const controlFD = 3

// Main is a worker process's main: it reads its settings from the
// environment, runs until SIGTERM or SIGINT and returns the exit code.
func Main() int {
	s, err := ParseSettings(os.Getenv(EnvSettings))
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 2
	}
	ctl := os.NewFile(controlFD, "control")
	if ctl == nil {
		fmt.Fprintln(os.Stderr, "worker: no control pipe on file descriptor 3")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := Run(ctx, s, ctl, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	return 0
}

// Run builds the sync handler through shared/app from the environment and
// s, and polls the events queue until ctx ends; batches in hand are then
// settled before it returns. Logs and metrics go to logs.
func Run(ctx context.Context, s Settings, ctl io.Writer, logs io.Writer) error {
	settings := app.FromEnv()
	log := obs.NewLogger(logs, settings.LogLevel).With("worker", s.Name)
	rt, err := app.Start(ctx, settings, log)
	if err != nil {
		return err
	}
	rt.Metrics = logs
	rt.AuthTuning = auth.Options{Lease: s.AuthLease, RefreshTimeout: s.AuthRefreshTimeout, MaxWait: s.AuthMaxWait}
	rt.LedgerTuning = ledger.Options{Lease: s.LedgerLease, RetryAfter: s.LedgerRetryAfter}
	c := &control{w: ctl}
	h, err := rt.Sync(app.SyncOptions{Options: s.Sync, Policy: s.Policy, OnResult: c.result})
	if err != nil {
		return err
	}
	fn := &tracked{inner: lambdaemu.NewInProcess("sync", s.FunctionTimeout, h.Handle), c: c}
	p, err := poller.New(poller.Config{Client: rt.SQS, QueueURL: settings.QueueURL, QueueARN: s.QueueARN,
		BatchSize: s.BatchSize, Window: s.Window, MaxConcurrency: s.Concurrency, Function: fn, Log: log})
	if err != nil {
		return err
	}
	c.send(Message{Type: TypeReady})
	p.Run(ctx)
	return nil
}

// tracked tells the parent when each invocation starts and ends.
type tracked struct {
	inner lambdaemu.Invoker
	c     *control
}

// Invoke reports the start, invokes the sync function and reports the end.
func (t *tracked) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	t.c.send(Message{Type: TypeStart})
	defer t.c.send(Message{Type: TypeEnd})
	return t.inner.Invoke(ctx, payload)
}
