package main

import (
	"context"
	"time"

	"github.com/zohosync/zohosync/infra/bench/naive"
	"github.com/zohosync/zohosync/infra/bench/report"
	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/core"
)

// Naive sender's own self-client in its simulator.
const (
	naiveClientID     = "1000.NAIVEBASELINE"
	naiveClientSecret = "naive-baseline-secret"
)

// runNaive sends the same events the naive way to an identical simulator
// (same edition, users, limits and schema). Its latency model is off:
// credits and calls per event do not depend on latency, and a 10,000-event
// burst at one record per call would otherwise take minutes. Its ceiling
// is computed instead (Limits.NaiveRecordsPerSec).
func (b *bench) runNaive(ctx context.Context, events [][]core.Operation) (report.NaiveRun, error) {
	sim, srv, err := b.startSim(zohosim.Latencies{})
	if err != nil {
		return report.NaiveRun{}, err
	}
	defer srv.Close()
	if err := sim.AddClient(benchDC, naiveClientID, naiveClientSecret); err != nil {
		return report.NaiveRun{}, err
	}
	tok, api, err := naive.Login(ctx, httpClient, srv.AccountsURL(benchDC), naiveClientID, naiveClientSecret,
		sim.SeedRefreshToken(benchDC, naiveClientID))
	if err != nil {
		return report.NaiveRun{}, err
	}
	s := &naive.Sender{APIURL: api, Token: tok, HTTP: httpClient, Units: b.limits.Concurrency}
	start := time.Now()
	st, err := s.Run(ctx, events, b.limits.Concurrency)
	if err != nil {
		return report.NaiveRun{}, err
	}
	zs := sim.Stats()
	return report.NaiveRun{Sender: st, Credits: zs.CreditsSpent, MaxInFlight: zs.MaxInFlight,
		TooMany: count429(zs), TokenMints: zs.TokenMintsTotal, Seconds: time.Since(start).Seconds()}, nil
}

// count429 sums the simulator's 429 answers over every endpoint.
func count429(st zohosim.Stats) int {
	n := 0
	for ep, byStatus := range st.Calls {
		if ep != "token" && ep != "revoke" {
			n += byStatus[429]
		}
	}
	return n
}

// apiCalls sums the simulator's answered API calls by endpoint (token
// calls aside).
func apiCalls(st zohosim.Stats) (int, map[string]int) {
	total, by := 0, map[string]int{}
	for ep, byStatus := range st.Calls {
		if ep == "token" || ep == "revoke" {
			continue
		}
		for _, n := range byStatus {
			by[ep] += n
			total += n
		}
	}
	return total, by
}
