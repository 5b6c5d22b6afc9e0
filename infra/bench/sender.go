package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/zohosync/zohosync/infra/bench/stream"
)

// planned is one event to post, at an offset from the start, with the id
// and operation count the mapping gives it.
type planned struct {
	ev  *stream.Event
	at  time.Duration
	id  string
	ops int
}

// sent is what posting a stream came to.
type sent struct {
	accepted, duplicate, rejected, failed int
	// mismatched counts accepted events whose id in the answer differs
	// from the one the mapping computed.
	mismatched  int
	first, last time.Time
	// bodyBytes are the request body sizes (HTTP API bills per 512 KB).
	bodyBytes []int
}

// poster posts events to the front door with a fixed number of senders.
type poster struct {
	url     string
	workers int
	client  *http.Client
	track   *tracker
}

func newPoster(url string, workers int, t *tracker) *poster {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = workers
	return &poster{url: url, workers: workers, track: t, client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// post sends every planned event at start + its offset (or as soon as a
// sender is free) and returns what the front door answered.
func (p *poster) post(ctx context.Context, events []planned) sent {
	var mu sync.Mutex
	var out sent
	jobs := make(chan planned)
	var wg sync.WaitGroup
	start := time.Now()
	for range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range jobs {
				if wait := time.Until(start.Add(e.at)); wait > 0 {
					time.Sleep(wait)
				}
				p.one(ctx, e, &mu, &out)
			}
		}()
	}
	for _, e := range events {
		if ctx.Err() != nil {
			break
		}
		jobs <- e
	}
	close(jobs)
	wg.Wait()
	return out
}

// one posts one event and records the answer.
func (p *poster) one(ctx context.Context, e planned, mu *sync.Mutex, out *sent) {
	at := time.Now()
	p.track.post(e.id, at)
	status, reply, err := p.send(ctx, e.ev, at)
	done := time.Now()
	mu.Lock()
	defer mu.Unlock()
	if out.first.IsZero() || at.Before(out.first) {
		out.first = at
	}
	if done.After(out.last) {
		out.last = done
	}
	out.bodyBytes = append(out.bodyBytes, len(e.ev.Body))
	switch {
	case err != nil:
		out.failed++
		p.track.drop(e.id)
	case status == http.StatusAccepted:
		out.accepted++
		if reply != e.id {
			out.mismatched++
		}
	case status == http.StatusOK:
		out.duplicate++
	default:
		out.rejected++
		p.track.drop(e.id)
	}
}

func (p *poster) send(ctx context.Context, ev *stream.Event, now time.Time) (int, string, error) {
	headers, err := ev.Sign(now)
	if err != nil {
		return 0, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url+"/hooks/"+ev.Source, bytes.NewReader(ev.Body))
	if err != nil {
		return 0, "", err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var r struct {
		EventID string `json:"event_id"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = json.Unmarshal(b, &r)
	return resp.StatusCode, r.EventID, nil
}
