package zohosim

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
)

// benchHarness is an Ultimate org with credits that do not run out, so the
// benchmark measures the simulator, not its limits.
func benchHarness(b *testing.B) (*harness, *http.Client) {
	b.Helper()
	h := newHarness(b, Config{Edition: "ultimate", DailyCredits: 1 << 50, LogLimit: 10000})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	return h, client
}

func benchWrites(b *testing.B, path string, perCall int) {
	h, client := benchHarness(b)
	url := h.srv.APIURL("us") + path
	var seq atomic.Int64
	b.SetParallelism(4) // 4 × GOMAXPROCS callers stay within Ultimate's 25 slots on 2 cores
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			raw := benchBody(seq.Add(1), perCall)
			req, _ := http.NewRequest("POST", url, bytes.NewReader(raw))
			req.Header.Set("Authorization", "Zoho-oauthtoken "+h.token)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 300 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// benchBody builds {"data":[...]} with unique e-mails by hand, so the
// benchmark's client spends little of the shared CPU.
func benchBody(n int64, records int) []byte {
	b := make([]byte, 0, 16+records*64)
	b = append(b, `{"data":[`...)
	for i := range records {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Last_Name":"Bench","Email":"b`...)
		b = strconv.AppendInt(b, n, 10)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `@example.com"}`...)
	}
	return append(b, "]}"...)
}

// BenchmarkInsertOneRecord measures write requests per second over HTTP on
// loopback, latency off, one record per call.
func BenchmarkInsertOneRecord(b *testing.B) { benchWrites(b, "/crm/v8/Leads", 1) }

// BenchmarkUpsertTenRecords is the same with ten-record upserts.
func BenchmarkUpsertTenRecords(b *testing.B) { benchWrites(b, "/crm/v8/Leads/upsert", 10) }
