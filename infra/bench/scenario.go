package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/infra/bench/report"
	"github.com/zohosync/zohosync/infra/bench/stream"
	"github.com/zohosync/zohosync/infra/local/frontdoor"
	"github.com/zohosync/zohosync/infra/local/poller"
	"github.com/zohosync/zohosync/shared/app"
	"github.com/zohosync/zohosync/shared/core"
)

// run is one scenario in progress.
type run struct {
	sc      scenario
	d       *deployment
	events  []planned
	ops     [][]core.Operation
	esm     poller.Config
	batches batchLog
	sent    sent
	start   time.Time // first post, or the release of a burst
	floor   []time.Duration
}

// batchLog collects the sizes of the batches the sync function got.
type batchLog struct {
	mu    sync.Mutex
	sizes []int
}

func (l *batchLog) add(b poller.Batch) {
	l.mu.Lock()
	l.sizes = append(l.sizes, len(b.MessageIDs))
	l.mu.Unlock()
}

// runScenario runs sc against a fresh deployment and the naive sender.
func (b *bench) runScenario(ctx context.Context, sc scenario) (report.Scenario, error) {
	sc = b.scaled(sc)
	r := &run{sc: sc}
	g, err := stream.New(b.root, stream.Config{Mix: sc.mix, Seed: b.opt.seed, Tag: strings.ReplaceAll(sc.name, "-", "") + b.runID,
		RepeatCustomer: sc.repeat, CompanyShare: sc.company})
	if err != nil {
		return report.Scenario{}, err
	}
	evs, err := g.Take(sc.events)
	if err != nil {
		return report.Scenario{}, err
	}
	if r.events, r.ops, err = b.prepare(evs); err != nil {
		return report.Scenario{}, err
	}
	for i := range r.events {
		if sc.perSecond > 0 {
			r.events[i].at = time.Duration(float64(i) / sc.perSecond * float64(time.Second))
		}
	}
	if r.d, err = b.deploy(ctx, sc.name); err != nil {
		return report.Scenario{}, err
	}
	defer r.d.close()
	if err := r.load(ctx); err != nil {
		return report.Scenario{}, err
	}
	out := r.report(b)
	nv, err := b.runNaive(ctx, r.ops)
	if err != nil {
		return report.Scenario{}, err
	}
	out.Naive = nv
	return out, nil
}

// scaled applies -scale to a scenario's size (never below 10 events).
func (b *bench) scaled(sc scenario) scenario {
	sc.events = max(10, int(math.Round(float64(sc.events)*b.opt.scale)))
	return sc
}

// load serves the front door and the event source mapping, posts the
// stream and waits until every record is written and the queue is empty.
func (r *run) load(ctx context.Context) error {
	d := r.d
	for _, e := range r.events {
		d.track.expectEvent(e.id, e.ops)
	}
	fd := &frontdoor.Server{Function: d.ingest}
	srv, l, err := fd.Listen("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer srv.Close()
	esm, err := r.pollerConfig()
	if err != nil {
		return err
	}
	p, err := poller.New(esm)
	if err != nil {
		return err
	}
	pctx, stop := context.WithCancel(ctx)
	var pollers sync.WaitGroup
	startPoller := func() {
		pollers.Add(1)
		go func() { defer pollers.Done(); p.Run(pctx) }()
	}
	defer func() { stop(); pollers.Wait() }()
	burst := r.sc.perSecond == 0
	if !burst {
		startPoller()
	}
	ps := newPoster("http://"+l.Addr().String(), d.b.opt.senders, d.track)
	log.Printf("%s: posting %d events", r.sc.name, len(r.events))
	fl := startFloorSampler(ctx, d, 100*time.Millisecond)
	r.sent = ps.post(ctx, r.events)
	if r.floor, err = fl.finish(); err != nil {
		return err
	}
	r.start = r.sent.first
	if burst {
		r.start = time.Now()
		startPoller()
	}
	log.Printf("%s: %d accepted, %d rejected, %d failed; waiting for the records", r.sc.name,
		r.sent.accepted, r.sent.rejected, r.sent.failed)
	wctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	if err := d.track.wait(wctx); err != nil {
		return fmt.Errorf("%s: records still missing: %w", r.sc.name, err)
	}
	return r.waitSettled(wctx, p)
}

// pollerConfig is the event source mapping: template.yaml's settings
// unless the scenario overrides them, polling with a counted SQS client.
func (r *run) pollerConfig() (poller.Config, error) {
	d := r.d
	m := d.b.esm
	if r.sc.batchSize > 0 {
		m.BatchSize = r.sc.batchSize
	}
	if r.sc.window > 0 {
		m.Window = r.sc.window
	}
	if r.sc.maxConcurrency > 0 {
		m.MaxConcurrency = r.sc.maxConcurrency
	}
	awsCfg, err := app.EnvAWSConfig(d.settings.Getenv)
	if err != nil {
		return poller.Config{}, err
	}
	awsCfg.APIOptions = append(awsCfg.APIOptions, d.pollerAWS.APIOption)
	client := sqs.NewFromConfig(awsCfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(d.b.emu.SQSEndpoint) })
	r.esm = poller.Config{Client: client, QueueURL: d.settings.QueueURL,
		QueueARN: d.st.Names.QueueARNs["EventsQueue"], BatchSize: m.BatchSize, Window: m.Window,
		MaxConcurrency: m.MaxConcurrency, Function: d.sync, OnBatch: r.batches.add}
	return r.esm, nil
}

// waitSettled waits until the queue holds nothing (visible, in flight or
// delayed) and no poller holds a batch, twice in a row.
func (r *run) waitSettled(ctx context.Context, p *poller.Poller) error {
	streak := 0
	for streak < 2 {
		ok, err := r.settled(ctx, p)
		if err != nil {
			return err
		}
		if ok {
			streak++
		} else {
			streak = 0
		}
		select {
		case <-ctx.Done():
			return errors.New("the queue did not settle")
		case <-time.After(250 * time.Millisecond):
		}
	}
	return nil
}

func (r *run) settled(ctx context.Context, p *poller.Poller) (bool, error) {
	if p.Busy() > 0 {
		return false, nil
	}
	out, err := r.d.st.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(r.d.settings.QueueURL),
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
	return p.Busy() == 0, nil
}

// httpClient is shared by the probes.
var httpClient = &http.Client{Timeout: 60 * time.Second}
