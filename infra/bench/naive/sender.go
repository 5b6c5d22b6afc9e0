package naive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

// Sender sends events to one Zoho org. Set the exported fields, then call
// Run; it is safe for concurrent use.
type Sender struct {
	// APIURL is the org's API domain, such as https://www.zohoapis.com.
	APIURL string
	// Token is the access token sent with every call.
	Token string
	// HTTP is the client (default: one with a 60 s timeout).
	HTTP *http.Client
	// Units is the concurrency units the sender may hold (default 10).
	Units int
	// Retries is how often a 429 is retried (default 5), after RetryWait
	// (default 1 s).
	Retries   int
	RetryWait time.Duration
}

// Stats is what a run did, as the sender saw it.
type Stats struct {
	Events     int `json:"events"`
	Calls      int `json:"calls"`
	Composites int `json:"composite_calls"`
	Records    int `json:"records"`
	Throttled  int `json:"throttled_429"`
	// Failed counts calls that never got a 2xx answer.
	Failed int `json:"failed_calls"`
	// RecordErrors counts records Zoho answered with an error.
	RecordErrors int `json:"record_errors"`
}

// Run sends every event's operations as one call each, with up to workers
// calls in flight (bounded further by Units).
func (s *Sender) Run(ctx context.Context, events [][]core.Operation, workers int) (Stats, error) {
	s.defaults()
	var st counters
	sem := newUnits(s.Units)
	jobs := make(chan []core.Operation)
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ops := range jobs {
				if err := s.send(ctx, sem, ops, &st); err != nil {
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	for _, ops := range events {
		if ctx.Err() != nil {
			break
		}
		jobs <- ops
	}
	close(jobs)
	wg.Wait()
	out := st.stats(len(events))
	if err, _ := firstErr.Load().(error); err != nil {
		return out, err
	}
	return out, ctx.Err()
}

func (s *Sender) defaults() {
	if s.HTTP == nil {
		s.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if s.Units <= 0 {
		s.Units = 10
	}
	if s.Retries <= 0 {
		s.Retries = 5
	}
	if s.RetryWait <= 0 {
		s.RetryWait = time.Second
	}
}

// counters accumulate Stats from many goroutines.
type counters struct {
	calls, composites, records, throttled, failed, recordErrors atomic.Int64
}

func (c *counters) stats(events int) Stats {
	return Stats{Events: events, Calls: int(c.calls.Load()), Composites: int(c.composites.Load()),
		Records: int(c.records.Load()), Throttled: int(c.throttled.Load()), Failed: int(c.failed.Load()),
		RecordErrors: int(c.recordErrors.Load())}
}

// send makes an event's one call, retrying 429s.
func (s *Sender) send(ctx context.Context, sem *units, ops []core.Operation, st *counters) error {
	req, err := callFor(ops)
	if err != nil || req == nil {
		return err
	}
	if err := sem.acquire(ctx, req.units); err != nil {
		return err
	}
	defer sem.release(req.units)
	st.records.Add(int64(len(ops)))
	for attempt := 0; ; attempt++ {
		st.calls.Add(1)
		if req.composite {
			st.composites.Add(1)
		}
		status, body, err := s.do(ctx, req)
		switch {
		case err != nil:
			st.failed.Add(1)
			return err
		case status == http.StatusTooManyRequests && attempt < s.Retries:
			st.throttled.Add(1)
			if err := sleep(ctx, s.RetryWait); err != nil {
				return err
			}
			continue
		case status == http.StatusTooManyRequests:
			st.throttled.Add(1)
			st.failed.Add(1)
			return nil
		case status >= 300 && status != http.StatusMultiStatus && status != http.StatusBadRequest:
			st.failed.Add(1)
			return nil
		}
		st.recordErrors.Add(int64(recordErrors(body, req.composite)))
		return nil
	}
}

func (s *Sender) do(ctx context.Context, r *request) (int, []byte, error) {
	hreq, err := http.NewRequestWithContext(ctx, r.method, strings.TrimRight(s.APIURL, "/")+r.path, bytes.NewReader(r.body))
	if err != nil {
		return 0, nil, err
	}
	hreq.Header.Set("Authorization", "Zoho-oauthtoken "+s.Token)
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := s.HTTP.Do(hreq)
	if err != nil {
		return 0, nil, fmt.Errorf("naive: %s %s: %w", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, b, err
}

// recordErrors counts the records a write answered with status "error";
// in a composite, the inner answers count.
func recordErrors(body []byte, composite bool) int {
	var w struct {
		Data []struct {
			Status string `json:"status"`
		} `json:"data"`
		Subs []struct {
			Status  string `json:"status"`
			Details struct {
				Response struct {
					Body json.RawMessage `json:"body"`
				} `json:"response"`
			} `json:"details"`
		} `json:"__composite_requests"`
	}
	if json.Unmarshal(body, &w) != nil {
		return 0
	}
	n := 0
	for _, d := range w.Data {
		if d.Status == "error" {
			n++
		}
	}
	if composite {
		for _, s := range w.Subs {
			if s.Status == "error" {
				n++
			} else if len(s.Details.Response.Body) > 0 {
				n += recordErrors(s.Details.Response.Body, false)
			}
		}
	}
	return n
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Login exchanges a refresh token for an access token at a Zoho accounts
// server and returns it with the API domain the answer names. Zoho reports
// token errors as HTTP 200 with an "error" field, so the access token's
// presence is what counts.
func Login(ctx context.Context, hc *http.Client, accountsURL, clientID, clientSecret, refresh string) (token, apiDomain string, err error) {
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID},
		"client_secret": {clientSecret}, "refresh_token": {refresh}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(accountsURL, "/")+"/oauth/v2/token",
		strings.NewReader(form.Encode()))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("naive: token: %w", err)
	}
	defer resp.Body.Close()
	var t struct {
		Access    string `json:"access_token"`
		APIDomain string `json:"api_domain"`
		Error     string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&t); err != nil {
		return "", "", fmt.Errorf("naive: token answer: %w", err)
	}
	if t.Access == "" {
		return "", "", errors.New("naive: token refused: " + t.Error)
	}
	return t.Access, t.APIDomain, nil
}
