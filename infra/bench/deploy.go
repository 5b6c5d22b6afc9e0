package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zohosync/zohosync/infra/bench/awscount"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/stack"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/admin"
	"github.com/zohosync/zohosync/shared/app"
	"github.com/zohosync/zohosync/shared/obs"
)

// The self-client registered with each simulator, named by the config
// through env:ZOHO_CLIENT_ID and env:ZOHO_CLIENT_SECRET.
const (
	benchDC           = "us"
	benchClientID     = "1000.ZOHOSYNCBENCHCLIENT"
	benchClientSecret = "zohosync-bench-client-secret"
	benchScope        = "ZohoCRM.modules.ALL,ZohoCRM.composite_requests.CUSTOM"
)

// byteCounter counts what a function writes to its log (CloudWatch Logs
// ingests every byte) and keeps none of it.
type byteCounter struct{ n atomic.Int64 }

// Write counts p.
func (c *byteCounter) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return len(p), nil
}

// deployment is one scenario's stack: fresh table and queues, a fresh
// simulator, the functions as container pools, and the counters.
type deployment struct {
	b        *bench
	st       *stack.Stack
	sim      *zohosim.Sim
	srv      *zohosim.Server
	settings app.Settings

	ingestAWS, syncAWS, pollerAWS *awscount.Counter
	ingestLogs, syncLogs          byteCounter
	ingest, sync                  *pool
	track                         *tracker
	// mintsAtConnect are the token mints of the connect itself.
	mintsAtConnect int
}

// deploy provisions the scenario's resources and connects the org.
func (b *bench) deploy(ctx context.Context, name string) (*deployment, error) {
	st, err := stack.Up(ctx, stack.Options{Root: b.root, Emulators: b.emu, Prefix: "bench-" + name + "-" + b.runID})
	if err != nil {
		return nil, err
	}
	sim, srv, err := b.startSim(b.latencies)
	if err != nil {
		return nil, err
	}
	d := &deployment{b: b, st: st, sim: sim, srv: srv, track: newTracker(),
		ingestAWS: awscount.New(), syncAWS: awscount.New(), pollerAWS: awscount.New()}
	if d.settings, err = b.settings(st, srv.AccountsURL(benchDC), name); err != nil {
		srv.Close()
		return nil, err
	}
	d.ingest = newPool("ingest", b.memory["IngestFunction"], d.newIngest)
	d.sync = newPool("sync", b.memory["SyncFunction"], d.newSync)
	if err := d.connect(ctx); err != nil {
		srv.Close()
		return nil, err
	}
	d.mintsAtConnect = sim.Stats().TokenMintsTotal
	return d, nil
}

// close stops the simulator (the emulators outlive every deployment).
func (d *deployment) close() { d.srv.Close() }

// settings are what every function reads from its environment.
func (b *bench) settings(st *stack.Stack, accountsURL, name string) (app.Settings, error) {
	env := st.FunctionEnv()
	for k, v := range b.secrets {
		env[k] = v
	}
	path, err := writeConfig(b.root, filepath.Join(b.tmp, name), accountsURL)
	if err != nil {
		return app.Settings{}, err
	}
	return app.Settings{
		Table: env["ZOHOSYNC_TABLE"], QueueURL: env["ZOHOSYNC_EVENTS_QUEUE_URL"],
		DLQURL: st.Names.QueueURLs["EventsDLQ"], Config: path, LogLevel: env["ZOHOSYNC_LOG_LEVEL"],
		Getenv: func(k string) string { return env[k] },
	}, nil
}

// runtime builds what one container builds at cold start, as app.Start
// does (AWS config from the function's environment), with its AWS requests
// counted by c (nil: not counted) and its log and metric lines written to
// logs.
func (d *deployment) runtime(ctx context.Context, c *awscount.Counter, logs io.Writer) (*app.Runtime, error) {
	awsCfg, err := app.EnvAWSConfig(d.settings.Getenv)
	if err != nil {
		return nil, err
	}
	if c != nil {
		awsCfg.APIOptions = append(awsCfg.APIOptions, c.APIOption)
	}
	resolver := app.NewResolver(awsCfg, d.settings.Getenv)
	cfg, err := app.LoadConfig(ctx, d.settings.Config, resolver)
	if err != nil {
		return nil, err
	}
	rt, err := app.New(awsCfg, cfg, resolver, d.settings, obs.NewLogger(logs, d.settings.LogLevel))
	if err != nil {
		return nil, err
	}
	rt.Metrics = logs
	return rt, nil
}

func (d *deployment) newIngest(ctx context.Context) (lambdaemu.Invoker, error) {
	rt, err := d.runtime(ctx, d.ingestAWS, &d.ingestLogs)
	if err != nil {
		return nil, err
	}
	h, err := rt.Ingest(ctx)
	if err != nil {
		return nil, err
	}
	return lambdaemu.NewInProcess("ingest", d.b.timeouts["IngestFunction"], h.Handle), nil
}

func (d *deployment) newSync(ctx context.Context) (lambdaemu.Invoker, error) {
	rt, err := d.runtime(ctx, d.syncAWS, &d.syncLogs)
	if err != nil {
		return nil, err
	}
	h, err := rt.Sync(app.SyncOptions{OnResult: d.track.result})
	if err != nil {
		return nil, err
	}
	return lambdaemu.NewInProcess("sync", d.b.timeouts["SyncFunction"], h.Handle), nil
}

// connect exchanges a grant code through the admin function, as a user
// connects an org after deploying; its requests are not counted.
func (d *deployment) connect(ctx context.Context) error {
	if err := d.sim.AddClient(benchDC, benchClientID, benchClientSecret); err != nil {
		return err
	}
	rt, err := d.runtime(ctx, nil, io.Discard)
	if err != nil {
		return err
	}
	h, err := rt.Admin()
	if err != nil {
		return err
	}
	code := d.sim.GrantCode(benchDC, benchClientID, benchScope)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := h.Handle(cctx, admin.Request{Action: "connect", Org: d.b.org, GrantCode: code})
	if err != nil {
		return fmt.Errorf("connect org %s: %w", d.b.org, err)
	}
	if s := fmt.Sprint(out); strings.Contains(s, "error") {
		return fmt.Errorf("connect org %s: %s", d.b.org, s)
	}
	return nil
}
