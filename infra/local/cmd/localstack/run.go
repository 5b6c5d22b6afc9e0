package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zohosync/zohosync/infra/local/samples"
	"github.com/zohosync/zohosync/infra/local/stack"
	"github.com/zohosync/zohosync/shared/core"
)

// localWindow is the batching window of the local run.
const localWindow = time.Second

// Local self-client registered with the simulator and named by the config
// through env:ZOHO_CLIENT_ID / env:ZOHO_CLIENT_SECRET.
const (
	localOrg          = "acme"
	localDC           = "us"
	localClientID     = "1000.LOCALZOHOSYNCCLIENT"
	localClientSecret = "local-zohosync-client-secret"
	localScope        = "ZohoCRM.modules.ALL,ZohoCRM.composite_requests.CUSTOM"
)

// secretEnv returns the secrets the local config refers to: each sample
// sender's fake signing secret and the simulator's self-client.
func secretEnv(root string) (map[string]string, error) {
	env := map[string]string{"ZOHO_CLIENT_ID": localClientID, "ZOHO_CLIENT_SECRET": localClientSecret}
	sets, err := samples.LoadAll(root)
	if err != nil {
		return nil, err
	}
	for _, s := range sets {
		env[strings.ToUpper(s.Source)+"_SIGNING_SECRET"] = s.Secret
	}
	return env, nil
}

func run(ctx context.Context, o options) error {
	started := time.Now()
	st, err := stack.Up(ctx, stack.Options{LogDir: filepath.Join(".local", "logs")})
	if err != nil {
		return err
	}
	defer st.Down()
	fmt.Printf("emulators: DynamoDB Local %s, SQS (fauxqs) %s; logs in .local/logs\n", st.Emu.DynamoEndpoint, st.Emu.SQSEndpoint)
	if !o.once {
		fmt.Println("note: DynamoDB Local has no host option and listens on all interfaces (as its Docker image does); `ONCE=1 make run` runs in a private network namespace instead.")
	}
	logs, err := os.Create(filepath.Join(".local", "logs", "functions.log"))
	if err != nil {
		return err
	}
	defer logs.Close()
	// The template's batching window (60 s by default) fills Zoho's
	// 100-record calls in production; a demo need not wait for it.
	l, err := launch(ctx, st, stack.ServeOptions{Addr: o.addr, Window: localWindow}, logs)
	if err != nil {
		return err
	}
	defer l.Stop()
	if m, err := st.EventSourceMapping(); err == nil {
		fmt.Printf("event source mapping: batches of up to %d, window %s here (template: %s), %d concurrent\n",
			m.BatchSize, localWindow, m.Window, m.MaxConcurrency)
	}
	fmt.Printf("front door: POST %s/hooks/{source} (ready after %s)\n", l.Running.URL, time.Since(started).Round(time.Millisecond))
	if err := postSamples(ctx, st.Root, l.Running.URL, l.Tracker); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if err := l.Running.WaitSettled(wctx); err != nil {
		return fmt.Errorf("waiting for the samples to settle: %w", err)
	}
	bad, err := report(st.Root, l.Tracker, l.Sim)
	if err != nil {
		return err
	}
	fmt.Printf("samples settled %s after start\n", time.Since(started).Round(time.Millisecond))
	if o.once {
		if len(bad) > 0 {
			return fmt.Errorf("%d sample(s) missed their expected outcome:\n  %s", len(bad), strings.Join(bad, "\n  "))
		}
		return nil
	}
	fmt.Printf("up; post more webhooks (docs/LOCAL.md, `make sign`); each settled record prints below; Ctrl-C to stop\n")
	fmt.Printf("function logs: .local/logs/functions.log; simulator records: GET %s/__sim/records/<Module>\n", l.Sim.AccountsURL(localDC))
	l.Tracker.OnResult = func(r core.Result) { fmt.Println(stack.ResultLine(r)) }
	<-ctx.Done()
	fmt.Println("\nstopping")
	return nil
}

// launched is the running local stack above the emulators: the simulator,
// the handlers, the connected org, the front door and the event source
// mapping.
type launched struct {
	Sim     Simulator
	Tracker *stack.Tracker
	Running *stack.Running
}

// Stop stops the front door, the pollers and the simulator.
func (l *launched) Stop() {
	if l.Running != nil {
		l.Running.Stop()
	}
	l.Sim.Stop()
}

// launch starts the simulator, builds the handlers in process with the
// local config, connects the org through the admin function and serves the
// front door. Function logs and metrics go to logs.
func launch(ctx context.Context, st *stack.Stack, so stack.ServeOptions, logs io.Writer) (*launched, error) {
	sim, err := startSimulator(ctx, st.Root)
	if err != nil {
		return nil, err
	}
	l := &launched{Sim: sim, Tracker: stack.NewTracker()}
	fail := func(err error) (*launched, error) { l.Stop(); return nil, err }
	env := st.FunctionEnv()
	if env["ZOHOSYNC_CONFIG"], err = localConfig(st.Root, sim.AccountsURL(localDC)); err != nil {
		return fail(err)
	}
	secrets, err := secretEnv(st.Root)
	if err != nil {
		return fail(err)
	}
	for k, v := range secrets {
		env[k] = v
	}
	if err := stack.SetEnv(env); err != nil {
		return fail(err)
	}
	h, err := buildHandlers(ctx, &Wiring{Stack: st, Env: env, Sim: sim, OnResult: l.Tracker.Result, Logs: logs})
	if err != nil {
		return fail(err)
	}
	if err := connect(ctx, h, sim); err != nil {
		return fail(err)
	}
	if l.Running, err = st.Serve(ctx, h, so); err != nil {
		return fail(err)
	}
	return l, nil
}

// connect exchanges a simulator grant code through the admin function, as a
// user connects an org after creating a self-client.
func connect(ctx context.Context, h stack.Handlers, sim Simulator) error {
	if err := sim.AddClient(localDC, localClientID, localClientSecret); err != nil {
		return fmt.Errorf("register the local self-client: %w", err)
	}
	code := sim.GrantCode(localDC, localClientID, localScope)
	payload := fmt.Sprintf(`{"action":"connect","org":%q,"grant_code":%q}`, localOrg, code)
	out, err := h.Admin.Invoke(ctx, []byte(payload))
	if err != nil {
		return fmt.Errorf("connect org %s: %w", localOrg, err)
	}
	fmt.Printf("connected org %s through the admin function: %s\n", localOrg, strings.TrimSpace(string(out)))
	return nil
}

// postSamples posts every accepted sample delivery, re-signing timestamped
// ones at the current time.
func postSamples(ctx context.Context, root, url string, t *stack.Tracker) error {
	return postSamplesThen(ctx, root, url, t, nil)
}

// postSamplesThen is postSamples calling after (when set) after each post.
func postSamplesThen(ctx context.Context, root, url string, t *stack.Tracker, after func() error) error {
	sets, err := samples.LoadAll(root)
	if err != nil {
		return err
	}
	fmt.Println("posting the signed samples from testdata/webhooks (Stripe and Calendly sign a timestamp: re-signed now with the sample secret, as a sender signs each attempt)")
	for _, s := range sets {
		for _, d := range s.Deliveries {
			if !d.Accepted() {
				continue
			}
			headers, _ := samples.Resign(s.Source, s.Secret, d.Headers, d.Body, time.Now())
			if _, err := t.Post(ctx, url, s.Source, d.Name, headers, d.Body); err != nil {
				return err
			}
			if after != nil {
				if err := after(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// report prints one line per posted sample and the summary, and returns
// the differences from infra/local/expected.yaml.
func report(root string, t *stack.Tracker, sim Simulator) ([]string, error) {
	outcomes := t.Outcomes(sim)
	records := 0
	for _, o := range outcomes {
		fmt.Println(o.Line())
		if o.Sync == "synced" && o.Accept == "accepted" {
			records++
		}
	}
	calls, credits := sim.Totals()
	fmt.Printf("%d events, %d records synced, %d Zoho calls, %d credits spent\n", len(outcomes), records, calls, credits)
	exp, err := stack.LoadExpectations(filepath.Join(root, "infra", "local", "expected.yaml"))
	if err != nil {
		return nil, err
	}
	return exp.Check(outcomes), nil
}
