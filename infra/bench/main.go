package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/zohosync/zohosync/infra/bench/gobench"
	"github.com/zohosync/zohosync/infra/bench/price"
	"github.com/zohosync/zohosync/infra/bench/report"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/ledger"
)

func main() {
	opt, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	log.SetFlags(log.Ltime)
	log.SetPrefix("bench: ")
	if opt.render != "" {
		if err := rerender(opt.render); err != nil {
			log.Fatal(err)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runBench(ctx, opt, strings.Join(os.Args[1:], " ")); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

// runBench measures everything and writes the report; a failed part is noted
// in the report and fails the command after the files are written.
func runBench(ctx context.Context, opt options, args string) error {
	started := time.Now()
	b, err := setUp(ctx, opt)
	if b != nil {
		defer b.tearDown()
	}
	if err != nil {
		return err
	}
	rep := &report.Report{Date: started.UTC().Format(time.RFC3339), Machine: machine(), Settings: b.settingsReport(),
		Prices: pricesReport(), Command: strings.TrimSpace("go run ./infra/bench " + args)}
	load := startLoadSampler(2 * time.Second)
	var failed []error
	note := func(what string, err error) {
		if err != nil {
			log.Printf("%s failed: %v", what, err)
			failed = append(failed, fmt.Errorf("%s: %w", what, err))
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s: %v", what, err))
		}
	}
	note("go benchmarks", b.goBenchmarks(ctx, rep))
	note("functions", b.functions(ctx, rep))
	note("throughput probe", b.limitsReport(ctx, rep))
	var err2 error
	rep.IngestLatency, err2 = b.ingestLatency(ctx, 300, 20)
	note("ingest latency", err2)
	for _, name := range opt.scenarios {
		sc, _ := scenarioByName(name)
		log.Printf("scenario %s: %s", sc.name, sc.description)
		s, err := b.runScenario(ctx, sc)
		note("scenario "+name, err)
		if err == nil {
			rep.Scenarios = append(rep.Scenarios, s)
		}
	}
	load.finish(&rep.Machine)
	rep.Seconds = time.Since(started).Seconds()
	if err := write(outDir(b.root, opt.outDir), rep); err != nil {
		return err
	}
	return errors.Join(failed...)
}

// rerender rewrites the report from its JSON, re-judging the targets and
// findings (after a change to the report's code, without a new run).
func rerender(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var rep report.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return write(filepath.Dir(path), &rep)
}

func outDir(root, dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(root, dir)
}

// baselinePkg holds the benchmark the micro benchmarks are quoted against.
const baselinePkg = "./infra/bench/baseline"

// goBenchmarks runs the baseline, the micro benchmarks, and the baseline
// again.
func (b *bench) goBenchmarks(ctx context.Context, rep *report.Report) error {
	if len(b.opt.goBench) == 0 {
		return nil
	}
	log.Printf("go benchmarks: %s", strings.Join(b.opt.goBench, " "))
	before, err := b.baseline(ctx)
	if err != nil {
		return err
	}
	res, _, err := gobench.Run(ctx, "go", b.root, b.opt.goBench, b.opt.benchtime)
	rep.GoBench = res
	if err != nil {
		return err
	}
	after, err := b.baseline(ctx)
	rep.Calibration = report.Calibration{StartNs: before, EndNs: after,
		What: "BenchmarkHMAC (infra/bench/baseline), one HMAC-SHA256 over the 1.4 KB Stripe customer.created sample"}
	return err
}

func (b *bench) baseline(ctx context.Context) (float64, error) {
	res, out, err := gobench.Run(ctx, "go", b.root, []string{baselinePkg}, b.opt.benchtime)
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, fmt.Errorf("baseline benchmark: %d results in %q", len(res), out)
	}
	return res[0].Metrics["ns/op"], nil
}

func (b *bench) functions(ctx context.Context, rep *report.Report) error {
	if !b.opt.functions {
		return nil
	}
	log.Print("bootstrap sizes (linux/arm64) and cold init against a minimal Runtime API")
	sizes, err := b.sizes(ctx)
	if err != nil {
		return err
	}
	inits, err := b.coldInits(ctx, b.coldEnv(), 3)
	if err != nil {
		return err
	}
	for _, fn := range functionNames {
		f := inits[fn]
		f.Bytes, f.ZipBytes = sizes[fn].Bytes, sizes[fn].ZipBytes
		rep.Functions = append(rep.Functions, f)
	}
	rep.InitBaseline = inits["echo"]
	rep.InitBaseline.Bytes, rep.InitBaseline.ZipBytes = sizes["echo"].Bytes, sizes["echo"].ZipBytes
	return nil
}

// coldEnv is the functions' environment for the cold init runs: the probe
// stack's resources, the emulators, the secrets.
func (b *bench) coldEnv() []string {
	env := b.probe.FunctionEnv()
	env["ZOHOSYNC_CONFIG"] = "bundled"
	for k, v := range b.secrets {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

func (b *bench) limitsReport(ctx context.Context, rep *report.Report) error {
	rep.Limits = report.Limits{
		ConcurrencyRecordsPerSec: b.concurrencyLimit(),
		CreditRecordsPerDay:      float64(b.limits.Budget) * 10,
		CreditRecordsPerSec:      float64(b.limits.Budget) * 10 / 86400,
		NaiveRecordsPerSec:       float64(b.limits.Concurrency) / b.meanWrite().Seconds(),
	}
	log.Printf("throughput probe: %d workers of 100-record upserts for %s", b.limits.Concurrency, b.opt.probe)
	var err error
	rep.Limits.ProbeRecordsPerSec, rep.Limits.Probe429, err = b.probeCeiling(ctx, b.opt.probe)
	return err
}

// editionConcurrency is Zoho's in-flight limit per edition (docs/ZOHO.md §0.5).
var editionConcurrency = map[string]int{"free": 5, "standard": 10, "professional": 15, "enterprise": 20, "ultimate": 25}

func (b *bench) settingsReport() report.Settings {
	o := b.cfg.Orgs[b.org]
	daily, _ := ledger.DailyCredits(o.Edition, o.Users, nil)
	s := report.Settings{Edition: o.Edition, Users: o.Users, EditionConcurrency: editionConcurrency[strings.ToLower(o.Edition)],
		SubConcurrency: b.limits.Sub, ConcurrencyShare: b.limits.Concurrency, DailyCredits: daily,
		CreditBudget: b.limits.Budget, BatchSize: b.esm.BatchSize, WindowSeconds: b.esm.Window.Seconds(),
		MaxConcurrency: b.esm.MaxConcurrency, IngestMemoryMB: b.memory["IngestFunction"],
		SyncMemoryMB: b.memory["SyncFunction"], LogLevel: b.probe.FunctionEnv()["ZOHOSYNC_LOG_LEVEL"]}
	for _, l := range []struct {
		class string
		m     zohosim.Latency
	}{{"write", b.latencies.Write}, {"composite", b.latencies.Composite}, {"token", b.latencies.Token}} {
		s.Latencies = append(s.Latencies, report.Latency{Class: l.class, Kind: l.m.Kind, MedianMs: ms(l.m.Median),
			P99Ms: ms(l.m.P99), MeanMs: ms(meanOf(l.m.Kind, l.m.Median, l.m.P99))})
	}
	return s
}

func pricesReport() report.Prices {
	return report.Prices{Taken: price.Taken, Region: "us-east-1", Items: price.Items()}
}

// write judges the targets, lists the findings and stores the JSON and
// the Markdown report in dir.
func write(dir string, rep *report.Report) error {
	rep.Targets = report.Evaluate(rep)
	rep.Notes = report.Findings(rep)
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "benchmarks.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "BENCHMARKS.md"), []byte(report.Markdown(rep)), 0o644); err != nil {
		return err
	}
	log.Printf("wrote %s and %s (%.0f s)", filepath.Join(dir, "BENCHMARKS.md"), filepath.Join(dir, "benchmarks.json"), rep.Seconds)
	return nil
}
