package queue_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/queue"
)

func TestSendBatch(t *testing.T) {
	small := []byte(`{"id":"evt"}`)
	tests := []struct {
		name        string
		n           int
		body        []byte
		bad         map[int]bool // envelopes that cannot be prepared
		refused     map[int]bool // entries the fake SQS refuses
		wantBatches []int
	}{
		{"23 small", 23, small, nil, nil, []int{10, 10, 3}},
		{"exactly 10", 10, small, nil, nil, []int{10}},
		{"100 KB bodies pack by size", 5, bytes.Repeat([]byte("b"), 100_000), nil, nil, []int{2, 2, 1}},
		{"one bad envelope", 12, small, map[int]bool{4: true}, nil, []int{10, 1}},
		{"one entry refused", 12, small, nil, map[int]bool{11: true}, []int{10, 2}},
		{"empty", 0, small, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sq := &fakeSQS{}
			msgs := make([]queue.Message, tt.n)
			for i := range msgs {
				id := fmt.Sprintf("evt_%d", i)
				msgs[i] = queue.Message{Env: envelope("stripe", id, tt.body), Delay: time.Duration(i) * time.Second}
				if tt.bad[i] {
					msgs[i].Env.Org = ""
				}
				if tt.refused[i] {
					sq.failIDs = append(sq.failIDs, id)
				}
			}
			errs := mustQueue(t, sq, newFakeBlobs(), queue.Options{}).SendBatch(context.Background(), msgs)
			if len(errs) != tt.n {
				t.Fatalf("%d errors for %d messages", len(errs), tt.n)
			}
			for i, err := range errs {
				var entry *queue.EntryError
				switch {
				case tt.bad[i] && err == nil, tt.refused[i] && !errors.As(err, &entry):
					t.Errorf("message %d: err = %v, want a failure", i, err)
				case !tt.bad[i] && !tt.refused[i] && err != nil:
					t.Errorf("message %d: %v", i, err)
				}
			}
			if fmt.Sprint(sq.batches) != fmt.Sprint(tt.wantBatches) {
				t.Errorf("batches %v, want %v", sq.batches, tt.wantBatches)
			}
			for _, m := range sq.sent {
				env, _, err := queue.Decode(context.Background(), m.body, nil)
				if err != nil {
					t.Fatal(err)
				}
				var i int
				fmt.Sscanf(env.EventID, "evt_%d", &i)
				if m.delay != int32(i) {
					t.Errorf("%s sent with delay %d, want %d", env.EventID, m.delay, i)
				}
			}
		})
	}
}

func TestSendBatchRequestFailure(t *testing.T) {
	sq := &fakeSQS{err: errors.New("throttled")}
	msgs := []queue.Message{{Env: envelope("stripe", "a", []byte("{}"))}, {Env: envelope("stripe", "b", []byte("{}"))}}
	errs := mustQueue(t, sq, nil, queue.Options{}).SendBatch(context.Background(), msgs)
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "throttled") {
			t.Errorf("message %d: err = %v, want the request's error", i, err)
		}
	}
}

func TestSendBatchLargeGoesOutOfBand(t *testing.T) {
	sq, blobs := &fakeSQS{}, newFakeBlobs()
	large := fixture(t, "shopify", "orders-create-large-over-256kb.json")
	msgs := []queue.Message{
		{Env: envelope("shopify", "big", large)},
		{Env: envelope("shopify", "small", []byte("{}"))},
	}
	for i, err := range mustQueue(t, sq, blobs, queue.Options{}).SendBatch(context.Background(), msgs) {
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if len(blobs.m) != 1 || fmt.Sprint(sq.batches) != "[2]" {
		t.Fatalf("%d blobs, batches %v; want 1 blob, one batch of 2", len(blobs.m), sq.batches)
	}
	_, raw, err := queue.Decode(context.Background(), sq.sent[0].body, blobs)
	if err != nil || !bytes.Equal(raw, large) {
		t.Errorf("large body back: %d bytes, %v", len(raw), err)
	}
}

func TestSendBatchAloneOverBatchLimit(t *testing.T) {
	sq := &fakeSQS{}
	q := mustQueue(t, sq, nil, queue.Options{InlineLimit: 200_000, BatchLimit: 100_000})
	msgs := []queue.Message{
		{Env: envelope("stripe", "a", []byte("{}"))},
		{Env: envelope("stripe", "big", bytes.Repeat([]byte("c"), 150_000))},
		{Env: envelope("stripe", "b", []byte("{}"))},
	}
	for i, err := range q.SendBatch(context.Background(), msgs) {
		if err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	}
	if len(sq.sent) != 3 || sq.calls != 3 {
		t.Errorf("%d sent in %d calls; want 3 in 3 (the big one by SendMessage)", len(sq.sent), sq.calls)
	}
}

var _ core.Queue = (*queue.Queue)(nil)
