// Command chaos is zohosync's fault run (package faultrun): it pushes
// generated webhooks through the real ingest and sync handlers, DynamoDB
// Local, fauxqs and the Zoho simulator while injecting faults and killing
// sync workers, then accounts for every event and scans every log for
// secrets. It prints the table and exits non-zero when anything was lost,
// duplicated, wrongly dead-lettered, stuck or leaked.
//
//	chaos -events 100000            the long form (`make chaos`)
//	chaos worker                    one sync worker process (the run starts these)
//
// DynamoDB Local listens on every interface: run it inside the project's
// private network namespace (infra/local/netns.sh), as `make chaos` does.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/zohosync/zohosync/infra/chaos/faultrun"
	"github.com/zohosync/zohosync/infra/chaos/worker"
	"github.com/zohosync/zohosync/infra/local/emu"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		os.Exit(worker.Main())
	}
	os.Exit(run())
}

func run() int {
	var o faultrun.Options
	flag.IntVar(&o.Events, "events", 100000, "distinct events to post")
	flag.Uint64Var(&o.Seed, "seed", 1, "seed for the events and the simulator's faults")
	flag.IntVar(&o.Workers, "workers", 2, "sync worker processes")
	flag.IntVar(&o.Posters, "posters", 6, "concurrent senders")
	flag.IntVar(&o.Kills, "kills", 0, "worker kills (0: scaled with -events)")
	flag.IntVar(&o.Invalidations, "invalidations", 0, "token invalidations (0: scaled with -events)")
	flag.IntVar(&o.Bursts, "bursts", 0, "bursts of 429s and of RECORD_LOCKED, each (0: scaled with -events)")
	flag.Float64Var(&o.Faults, "faults", 1, "scale of the steady fault rates")
	flag.DurationVar(&o.SettleTimeout, "drain", 10*time.Minute, "longest wait for the queue to drain after posting")
	flag.StringVar(&o.Dir, "dir", "", "folder for the logs and config (default .local/chaos/run-<time>)")
	flag.Parse()
	if o.Dir == "" {
		root, err := emu.RepoRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, "chaos:", err)
			return 2
		}
		o.Dir = filepath.Join(root, ".local", "chaos", time.Now().UTC().Format("run-20060102-150405"))
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		return 2
	}
	o.Worker, o.Progress = []string{exe, "worker"}, os.Stderr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "fault run: %d events, logs in %s\n", o.Events, o.Dir)
	res, err := faultrun.Run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		return 1
	}
	res.Print(os.Stdout)
	if !res.OK() {
		return 1
	}
	return 0
}
