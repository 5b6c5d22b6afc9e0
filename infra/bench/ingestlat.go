package main

import (
	"context"
	"log"
	"sync"
	"time"

	"github.com/zohosync/zohosync/infra/bench/report"
	"github.com/zohosync/zohosync/infra/bench/stats"
	"github.com/zohosync/zohosync/infra/bench/stream"
	"github.com/zohosync/zohosync/infra/local/frontdoor"
)

// ingestLatency measures the warm ingest function alone: n mixed webhooks
// posted one at a time with nothing else of the benchmark running, each
// followed by one floor round, so the handler and its baseline see the
// same machine. The first warm events are not counted.
func (b *bench) ingestLatency(ctx context.Context, n, warm int) (report.IngestLatency, error) {
	log.Printf("ingest latency: %d webhooks one at a time, each beside an emulator floor round", n)
	d, err := b.deploy(ctx, "ingest")
	if err != nil {
		return report.IngestLatency{}, err
	}
	defer d.close()
	g, err := stream.New(b.root, stream.Config{Mix: mixed, Seed: b.opt.seed, Tag: "lat" + b.runID, RepeatCustomer: 0.6})
	if err != nil {
		return report.IngestLatency{}, err
	}
	evs, err := g.Take(n + warm)
	if err != nil {
		return report.IngestLatency{}, err
	}
	events, _, err := b.prepare(evs)
	if err != nil {
		return report.IngestLatency{}, err
	}
	fd := &frontdoor.Server{Function: d.ingest}
	srv, l, err := fd.Listen("127.0.0.1:0")
	if err != nil {
		return report.IngestLatency{}, err
	}
	defer srv.Close()
	ps := newPoster("http://"+l.Addr().String(), 1, d.track)
	var mu sync.Mutex
	var out sent
	var floor []time.Duration
	for i, e := range events {
		ps.one(ctx, e, &mu, &out)
		t, err := floorRound(ctx, d, i)
		if err != nil {
			return report.IngestLatency{}, err
		}
		if i >= warm {
			floor = append(floor, t)
		}
	}
	handler := d.ingest.warm.Values()
	if len(handler) > n {
		handler = handler[len(handler)-n:]
	}
	return report.IngestLatency{N: len(handler), Warm: warm, Accepted: out.accepted, Handler: stats.Summarize(handler),
		Floor: stats.Summarize(floor)}, nil
}
