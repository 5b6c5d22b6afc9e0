package auth

import (
	"context"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/zohosim"
	"github.com/zohosync/zohosync/shared/core"
)

// BenchmarkTokenWarm is the hot path: a valid token cached by the Store.
func BenchmarkTokenWarm(b *testing.B) {
	s, err := New(&countingDB{}, Options{Table: "unused"})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	s.cache["acme"] = cachedToken{tok: core.Token{Access: "a", Expiry: now.Add(time.Hour)}, minted: now}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Token(ctx, "acme"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenStored is a container's first Token call for an org: one
// consistent read of the token item (DynamoDB Local), no mint.
func BenchmarkTokenStored(b *testing.B) {
	r := newSimRig(b, zohosim.Config{})
	s := r.store(b, nil)
	r.connect(b, s)
	ctx := context.Background()
	for b.Loop() {
		s.forget("acme", "")
		if _, err := s.Token(ctx, "acme"); err != nil {
			b.Fatal(err)
		}
	}
}
