package faultrun

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zohosync/zohosync/infra/chaos/gen"
)

// laterGap is how many events after the first delivery a "later"
// redelivery comes.
const laterGap = 40

// maxTries bounds the sends of one delivery that the front door answers
// with "try again" (409 while another delivery holds the claim, 5xx).
const maxTries = 200

// job is one delivery to make.
type job struct {
	e   *gen.Event
	p   *gen.Payload
	dup bool // a redelivery of an event sent before
}

// sender posts the generated events like the four senders would: signed
// at each attempt, retried when the front door says so, some delivered
// twice.
type sender struct {
	o      Options
	g      *gen.Generator
	url    string
	client *http.Client
	events []*gen.Event

	total      atomic.Int64 // deliveries planned
	finished   atomic.Int64 // deliveries settled
	generated  atomic.Int64 // events generated
	ops        atomic.Int64 // operations they must sync (built-to-fail ones aside)
	deliveries atomic.Int64 // HTTP posts made
	accepted   sync.Map     // event id -> *atomic.Int64 (202 answers)
	dupOK      atomic.Int64 // redeliveries answered 200 duplicate
	refused    atomic.Int64 // deliveries refused for good (4xx)
	mu         sync.Mutex
	problems   []string
}

func newSender(o Options, g *gen.Generator, url string) *sender {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = o.Posters * 2
	return &sender{o: o, g: g, url: url, client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// progress is the share of planned deliveries settled so far.
func (s *sender) progress() float64 {
	t := s.total.Load()
	if t == 0 {
		return 0
	}
	return float64(s.finished.Load()) / float64(t)
}

// expectedOps estimates the operations all events will sync, from those
// generated so far.
func (s *sender) expectedOps() float64 {
	n := s.generated.Load()
	if n == 0 {
		return 0
	}
	return float64(s.ops.Load()) * float64(s.o.Events) / float64(n)
}

// syncable counts an event's operations that must reach Zoho.
func syncable(e *gen.Event) int {
	n := 0
	for _, op := range e.Ops {
		if op.ID != e.DeadOp {
			n++
		}
	}
	return n
}

// run generates and posts every event.
func (s *sender) run(ctx context.Context) error {
	jobs := make(chan job, s.o.Posters*2)
	var wg sync.WaitGroup
	for range s.o.Posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				s.deliver(ctx, j)
			}
		}()
	}
	err := s.produce(ctx, jobs)
	close(jobs)
	wg.Wait()
	return err
}

// produce makes the jobs in order, slotting "later" redeliveries in
// laterGap events after their first delivery.
func (s *sender) produce(ctx context.Context, jobs chan<- job) error {
	s.total.Store(int64(s.o.Events))
	var later []job
	for i := range s.o.Events {
		e, p, err := s.g.Next()
		if err != nil {
			return err
		}
		s.events = append(s.events, e)
		s.generated.Add(1)
		s.ops.Add(int64(syncable(e)))
		if e.Redeliver == gen.Later {
			s.total.Add(1)
			later = append(later, job{e: e, p: p, dup: true})
		}
		for len(later) > 0 && later[0].e.Seq+laterGap <= i {
			if !send(ctx, jobs, later[0]) {
				return ctx.Err()
			}
			later = later[1:]
		}
		if !send(ctx, jobs, job{e: e, p: p}) {
			return ctx.Err()
		}
	}
	for _, j := range later {
		if !send(ctx, jobs, j) {
			return ctx.Err()
		}
	}
	return nil
}

func send(ctx context.Context, jobs chan<- job, j job) bool {
	select {
	case jobs <- j:
		return true
	case <-ctx.Done():
		return false
	}
}

// deliver makes one job's deliveries: two at once for a concurrent
// redelivery.
func (s *sender) deliver(ctx context.Context, j job) {
	defer s.finished.Add(1)
	if j.e.Redeliver != gen.Concurrent || j.dup {
		s.post(ctx, j)
		return
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.post(ctx, job{e: j.e, p: j.p, dup: true})
	}()
	s.post(ctx, j)
	wg.Wait()
}

// post sends one delivery until the front door takes it or refuses it.
func (s *sender) post(ctx context.Context, j job) {
	for try := 1; try <= maxTries && ctx.Err() == nil; try++ {
		status, reply, err := s.once(ctx, j)
		switch {
		case err == nil && status == http.StatusAccepted:
			s.count(j.e.ID).Add(1)
			return
		case err == nil && status == http.StatusOK:
			s.dupOK.Add(1)
			return
		case err == nil && status < 500 && status != http.StatusConflict:
			s.refused.Add(1)
			s.problem("event %s (%s): front door answered %d %s", j.e.ID, j.e.Kind, status, reply)
			return
		}
		time.Sleep(time.Duration(20*min(try, 10)) * time.Millisecond)
	}
	s.refused.Add(1)
	s.problem("event %s (%s): not taken after %d tries", j.e.ID, j.e.Kind, maxTries)
}

// once signs and posts the delivery now.
func (s *sender) once(ctx context.Context, j job) (int, string, error) {
	d, err := s.g.Deliver(j.p, time.Now())
	if err != nil {
		return 0, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/hooks/"+d.Source, bytes.NewReader(d.Body))
	if err != nil {
		return 0, "", err
	}
	for k, v := range d.Headers {
		req.Header.Set(k, v)
	}
	s.deliveries.Add(1)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var reply struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(b, &reply)
	return resp.StatusCode, reply.Error, nil
}

func (s *sender) count(id string) *atomic.Int64 {
	v, _ := s.accepted.LoadOrStore(id, new(atomic.Int64))
	return v.(*atomic.Int64)
}

func (s *sender) problem(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.problems) < 10 {
		s.problems = append(s.problems, fmt.Sprintf(format, args...))
	}
}

// intake sums the front door's answers: events never accepted, and events
// enqueued more than once (a redelivery that found no finished claim).
func (s *sender) intake() (never, twice int) {
	for _, e := range s.events {
		switch n := s.count(e.ID).Load(); {
		case n == 0:
			never++
		case n > 1:
			twice++
		}
	}
	return never, twice
}
