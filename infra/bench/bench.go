package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zohosync/zohosync/infra/bench/stream"
	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/samples"
	"github.com/zohosync/zohosync/infra/local/stack"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/ledger"
	"github.com/zohosync/zohosync/shared/mapping"
)

// bench is what every scenario shares: the emulators, the config and its
// mapping, the template's function settings and the simulator's models.
type bench struct {
	opt   options
	root  string
	tmp   string
	runID string
	emu   *emu.Stack

	cfg       *config.Config
	org       string
	limits    ledger.Limits
	mapper    *mapping.Mapper
	secrets   map[string]string
	memory    map[string]int
	timeouts  map[string]time.Duration
	esm       stack.Mapping
	latencies zohosim.Latencies
	// probe is a provisioned stack the cold init runs point at.
	probe *stack.Stack
}

// setUp starts the emulators and reads the config and template.
func setUp(ctx context.Context, opt options) (*bench, error) {
	root, err := emu.RepoRoot()
	if err != nil {
		return nil, err
	}
	b := &bench{opt: opt, root: root, runID: fmt.Sprintf("%d", time.Now().Unix()%100000),
		latencies: opt.latencies()}
	if b.tmp, err = os.MkdirTemp("", "zohosync-bench-"); err != nil {
		return nil, err
	}
	if err := b.readConfig(); err != nil {
		return nil, err
	}
	if b.memory, b.timeouts, err = functionSettings(root); err != nil {
		return nil, err
	}
	if b.emu, err = emu.Start(ctx, emu.Options{Root: root, LogDir: filepath.Join(b.tmp, "emulators")}); err != nil {
		return b, err
	}
	if b.probe, err = stack.Up(ctx, stack.Options{Root: root, Emulators: b.emu, Prefix: "bench-probe-" + b.runID}); err != nil {
		return b, err
	}
	b.esm, err = b.probe.EventSourceMapping()
	return b, err
}

// tearDown stops the emulators and removes the temporary files.
func (b *bench) tearDown() {
	if b.emu != nil {
		b.emu.Stop()
	}
	os.RemoveAll(b.tmp)
}

// readConfig loads the shipped config, its mapping, the one org's limits
// and the secrets the config refers to.
func (b *bench) readConfig() error {
	cfg, err := config.Load(filepath.Join(b.root, "config", "zohosync.yaml"))
	if err != nil {
		return err
	}
	if len(cfg.Orgs) != 1 {
		return fmt.Errorf("the benchmark expects one org in config/zohosync.yaml, found %d", len(cfg.Orgs))
	}
	for name := range cfg.Orgs {
		b.org = name
	}
	if b.limits, err = ledger.LimitsFor(cfg.Orgs[b.org], nil, 0); err != nil {
		return err
	}
	if b.mapper, err = mapping.New(cfg); err != nil {
		return err
	}
	b.cfg = cfg
	b.secrets = map[string]string{"ZOHO_CLIENT_ID": benchClientID, "ZOHO_CLIENT_SECRET": benchClientSecret}
	sets, err := samples.LoadAll(b.root)
	if err != nil {
		return err
	}
	for _, s := range sets {
		b.secrets[strings.ToUpper(s.Source)+"_SIGNING_SECRET"] = s.Secret
	}
	return nil
}

// startSim starts a simulator of the config's org with the given latency
// models, on 127.0.0.1.
func (b *bench) startSim(l zohosim.Latencies) (*zohosim.Sim, *zohosim.Server, error) {
	o := b.cfg.Orgs[b.org]
	sim, err := zohosim.New(zohosim.Config{
		Edition: o.Edition, Users: o.Users, DataCenters: []string{benchDC},
		SchemaFiles: []string{filepath.Join(b.root, "config", "zoho-custom-fields.json")},
		Latency:     l, LogLimit: -1, Seed: b.opt.seed,
	})
	if err != nil {
		return nil, nil, err
	}
	srv, err := sim.Start()
	return sim, srv, err
}

// prepare maps each event as ingest and sync will: its event id and the
// operations it yields.
func (b *bench) prepare(events []*stream.Event) ([]planned, [][]core.Operation, error) {
	out := make([]planned, len(events))
	ops := make([][]core.Operation, len(events))
	for i, e := range events {
		h := http.Header{}
		lower := map[string]string{}
		for k, v := range e.Headers {
			h.Set(k, v)
			lower[strings.ToLower(k)] = v
		}
		id, err := b.mapper.EventID(e.Source, h, e.Body, lower["content-type"])
		if err != nil {
			return nil, nil, fmt.Errorf("event %d: %w", e.Seq, err)
		}
		env := &core.Envelope{V: core.EnvelopeVersion, Source: e.Source, EventID: id, Org: b.org,
			ReceivedAt: time.Now(), ContentType: lower["content-type"], Headers: lower}
		env.SetBody(e.Body)
		if ops[i], err = b.mapper.Map(env, e.Body); err != nil {
			return nil, nil, fmt.Errorf("event %d (%s): %w", e.Seq, e.Kind, err)
		}
		out[i] = planned{ev: e, id: id, ops: len(ops[i])}
	}
	return out, ops, nil
}
