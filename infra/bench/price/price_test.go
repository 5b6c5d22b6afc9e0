package price

import (
	"math"
	"testing"
	"time"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPerMillion(t *testing.T) {
	// 1,000 events: 1,000 ingest + 10 sync invocations, 2 WRU and 0.5 RRU per event.
	u := Usage{Events: 1000, LambdaRequests: 1010, GBSeconds: 10, SQSRequests: 1200,
		WriteUnits: 2000, ReadUnits: 500, HTTPAPIRequests: 1000, LogBytes: 1_000_000}
	b := PerMillion(u)
	cases := []struct {
		name      string
		got, want float64
	}{
		{"lambda requests", b.LambdaRequests, 1.010 * 0.20},
		{"lambda duration", b.LambdaDuration, 10 * 0.0000133334 * 1000},
		{"sqs", b.SQS, 1.2 * 0.40},
		{"dynamodb writes", b.DynamoWrites, 2 * 0.625},
		{"dynamodb reads", b.DynamoReads, 0.5 * 0.125},
		{"logs", b.Logs, 1 * 0.50},
		{"function url", b.FunctionURL, 0},
		{"http api", b.HTTPAPI, 1.00},
		{"total", b.Total(), 1.010*0.20 + 0.133334 + 0.48 + 1.25 + 0.0625 + 0.5},
		{"total with http api", b.TotalHTTPAPI(), 1.010*0.20 + 0.133334 + 0.48 + 1.25 + 0.0625 + 0.5 + 1},
	}
	for _, c := range cases {
		if !near(c.got, c.want) {
			t.Errorf("%s = %.9f, want %.9f", c.name, c.got, c.want)
		}
	}
	if (PerMillion(Usage{}) != Bill{}) {
		t.Errorf("PerMillion of no events = %+v, want zero", PerMillion(Usage{}))
	}
}

func TestChunks(t *testing.T) {
	cases := []struct {
		n, unit int64
		want    int
	}{{0, SQSChunkBytes, 1}, {1, SQSChunkBytes, 1}, {64 << 10, SQSChunkBytes, 1},
		{64<<10 + 1, SQSChunkBytes, 2}, {256 << 10, SQSChunkBytes, 4}, {600 << 10, HTTPAPIChunkBytes, 2}}
	for _, c := range cases {
		if got := Chunks(c.n, c.unit); got != c.want {
			t.Errorf("Chunks(%d, %d) = %d, want %d", c.n, c.unit, got, c.want)
		}
	}
}

func TestGBSeconds(t *testing.T) {
	cases := []struct {
		d    time.Duration
		mem  int
		want float64
	}{
		{1500 * time.Microsecond, 1024, 0.002}, // rounds up to 2 ms
		{time.Second, 512, 0.5},
		{0, 256, 0},
	}
	for _, c := range cases {
		if got := GBSeconds(int64(c.d), c.mem); !near(got, c.want) {
			t.Errorf("GBSeconds(%v, %d) = %v, want %v", c.d, c.mem, got, c.want)
		}
	}
}
