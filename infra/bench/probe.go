package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zohosync/zohosync/infra/bench/naive"
)

// probeCeiling measures what a perfect client gets from the simulator with the
// benchmark's latency model: the org's concurrency share of workers, each
// sending full 100-record Contacts upserts back to back for d. It is the
// same run's empirical ceiling beside the computed one.
func (b *bench) probeCeiling(ctx context.Context, d time.Duration) (recordsPerSec float64, throttled int, err error) {
	sim, srv, err := b.startSim(b.latencies)
	if err != nil {
		return 0, 0, err
	}
	defer srv.Close()
	if err := sim.AddClient(benchDC, naiveClientID, naiveClientSecret); err != nil {
		return 0, 0, err
	}
	tok, api, err := naive.Login(ctx, httpClient, srv.AccountsURL(benchDC), naiveClientID, naiveClientSecret,
		sim.SeedRefreshToken(benchDC, naiveClientID))
	if err != nil {
		return 0, 0, err
	}
	var written, tooMany, seq atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range b.limits.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				status, err := upsert100(ctx, api, tok, seq.Add(1))
				switch {
				case err != nil:
					firstErr.CompareAndSwap(nil, err)
					return
				case status == http.StatusTooManyRequests:
					tooMany.Add(1)
				case status < 300:
					written.Add(100)
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, 0, err
	}
	return float64(written.Load()) / time.Since(start).Seconds(), int(tooMany.Load()), nil
}

// upsert100 sends one upsert of 100 new Contacts.
func upsert100(ctx context.Context, api, token string, n int64) (int, error) {
	var body bytes.Buffer
	body.WriteString(`{"duplicate_check_fields":["Email"],"data":[`)
	for i := range 100 {
		if i > 0 {
			body.WriteByte(',')
		}
		id := strconv.FormatInt(n, 10) + "-" + strconv.Itoa(i)
		fmt.Fprintf(&body, `{"Last_Name":"Probe %s","Email":"probe.%s@example.com"}`, id, id)
	}
	body.WriteString(`]}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/crm/v8/Contacts/upsert", &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}
