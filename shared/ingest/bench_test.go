package ingest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

// nopClaims answers ClaimNew to every claim, so each iteration stores.
type nopClaims struct{}

func (nopClaims) Claim(context.Context, string, string, time.Duration) (core.ClaimState, error) {
	return core.ClaimNew, nil
}
func (nopClaims) Complete(context.Context, string, string) error { return nil }
func (nopClaims) Release(context.Context, string, string) error  { return nil }

// nopQueue drops envelopes.
type nopQueue struct{}

func (nopQueue) Send(context.Context, *core.Envelope, time.Duration) error { return nil }

// BenchmarkHandle measures the handler's own work for one accepted Stripe
// delivery (route, verify, JSON check, envelope, metrics, log line) with
// claim store and queue that do nothing.
func BenchmarkHandle(b *testing.B) {
	body, err := os.ReadFile(filepath.Join(repoRoot(b), "testdata", "webhooks", "stripe", "customer.created.json"))
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(context.Background(), testConfig(), Deps{
		Claims: nopClaims{}, Queue: nopQueue{}, IDs: &fakeIDs{}, Secrets: testSecrets,
		Now:     func() time.Time { return time.Unix(1735736502, 0) },
		Log:     slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Metrics: io.Discard,
	})
	if err != nil {
		b.Fatal(err)
	}
	req := post("stripe", stripeHeaders(string(body), 1735736500), string(body))
	ctx := context.Background()
	if resp, _ := h.Handle(ctx, req); resp.StatusCode != 202 {
		b.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		h.Handle(ctx, req)
	}
}
