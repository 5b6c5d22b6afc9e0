package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/stack"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/admin"
	"github.com/zohosync/zohosync/shared/app"
	"github.com/zohosync/zohosync/shared/obs"
)

// Wiring is what buildHandlers gets: the local resources and the
// simulator, already set in the process environment (stack.FunctionEnv plus
// the secrets of secretEnv).
type Wiring struct {
	Stack *stack.Stack
	Env   map[string]string
	Sim   Simulator
	// OnResult is given to the sync handler: it is how the runner learns
	// what became of each operation.
	OnResult stack.ResultFunc
	// Logs receives the functions' log and metric lines.
	Logs io.Writer
}

// Simulator is the part of infra/zohosim the runner uses.
type Simulator interface {
	stack.CRM
	AccountsURL(dc string) string
	AddClient(dc, clientID, clientSecret string) error
	GrantCode(dc, clientID, scope string) string
	// Totals returns the Zoho API calls answered (token calls aside) and
	// the credits spent.
	Totals() (calls int, credits int64)
	Stop()
}

// buildHandlers builds the four functions in process through shared/app,
// exactly as their mains do, with w.OnResult given to the sync handler.
func buildHandlers(ctx context.Context, w *Wiring) (stack.Handlers, error) {
	logs := w.Logs
	if logs == nil {
		logs = os.Stdout
	}
	s := app.FromEnv()
	rt, err := app.Start(ctx, s, obs.NewLogger(logs, s.LogLevel))
	if err != nil {
		return stack.Handlers{}, err
	}
	rt.Metrics = logs
	in, err := rt.Ingest(ctx)
	if err != nil {
		return stack.Handlers{}, err
	}
	tokens, err := rt.Tokens()
	if err != nil {
		return stack.Handlers{}, err
	}
	led, err := rt.Ledger()
	if err != nil {
		return stack.Handlers{}, err
	}
	sy, err := rt.Sync(app.SyncOptions{OnResult: w.OnResult, Tokens: tokens, Ledger: led})
	if err != nil {
		return stack.Handlers{}, err
	}
	ad, err := rt.Admin()
	if err != nil {
		return stack.Handlers{}, err
	}
	rf, err := rt.Refresh()
	if err != nil {
		return stack.Handlers{}, err
	}
	return stack.Handlers{
		Ingest:  lambdaemu.NewInProcess("ingest", timeouts["ingest"], in.Handle),
		Sync:    lambdaemu.NewInProcess("sync", timeouts["sync"], sy.Handle),
		Admin:   lambdaemu.NewInProcess[admin.Request, any]("admin", timeouts["admin"], ad.Handle),
		Refresh: lambdaemu.NewInProcess("refresh", timeouts["refresh"], refreshFunc(rf.Handle)),
	}, nil
}

// refreshFunc gives the refresh handler an output type for NewInProcess.
func refreshFunc(h func(context.Context, events.EventBridgeEvent) error) func(context.Context, events.EventBridgeEvent) (any, error) {
	return func(ctx context.Context, ev events.EventBridgeEvent) (any, error) { return nil, h(ctx, ev) }
}

// simulator is infra/zohosim serving one data centre on loopback.
type simulator struct {
	*zohosim.Sim
	srv *zohosim.Server
}

// startSimulator starts infra/zohosim on 127.0.0.1 for the local data
// centre, with the custom fields the default config writes. ZOHOSIM_CONFIG
// names a simulator config file (edition, users, latency, faults; see
// infra/zohosim/README.md) to use instead of the defaults.
func startSimulator(ctx context.Context, root string) (Simulator, error) {
	cfg := zohosim.Config{Edition: "enterprise", Users: 10}
	if path := os.Getenv("ZOHOSIM_CONFIG"); path != "" {
		c, err := zohosim.LoadConfig(path)
		if err != nil {
			return nil, err
		}
		cfg = c
	}
	cfg.DataCenters = []string{localDC}
	cfg.SchemaFiles = append([]string{filepath.Join(root, "config", "zoho-custom-fields.json")}, cfg.SchemaFiles...)
	sim, err := zohosim.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("start the Zoho simulator: %w", err)
	}
	srv, err := sim.Start()
	if err != nil {
		return nil, fmt.Errorf("start the Zoho simulator: %w", err)
	}
	return &simulator{Sim: sim, srv: srv}, nil
}

func (s *simulator) AccountsURL(dc string) string { return s.srv.AccountsURL(dc) }

func (s *simulator) Totals() (int, int64) {
	st := s.Stats()
	calls := 0
	for endpoint, byStatus := range st.Calls {
		if endpoint == "token" || endpoint == "revoke" {
			continue
		}
		for _, n := range byStatus {
			calls += n
		}
	}
	return calls, st.CreditsSpent
}

func (s *simulator) Stop() { s.srv.Close() }

// localConfig writes the default config with the org's accounts server
// pointed at the simulator (the one thing local differs in: Zoho's API
// domain comes from the token response) and returns its path.
func localConfig(root, accountsURL string) (string, error) {
	return stack.WriteConfig(root, filepath.Join(root, ".local"), localOrg,
		"Written by the local stack from config/zohosync.yaml: accounts_url points at the Zoho simulator.",
		map[string]string{"accounts_url": accountsURL})
}
