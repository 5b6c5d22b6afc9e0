package queue_test

import (
	"context"
	"errors"
	"testing"

	"github.com/zohosync/zohosync/shared/queue"
)

// FuzzDecode feeds arbitrary message bodies to Decode. With a blob store
// that never fails transiently, every error must be poison; every message
// that decodes must be re-sendable (nothing SQS would refuse) and come back
// with the same body, and a second re-send must encode byte for byte as the
// first.
func FuzzDecode(f *testing.F) {
	ctx := context.Background()
	blobs := newFakeBlobs()
	seed := &fakeSQS{}
	q := mustQueue(f, seed, blobs, queue.Options{InlineLimit: 4096})
	for _, p := range [][]string{{"stripe", "customer.created.json"}, {"stripe", "customer.created-unicode-name.json"},
		{"calendly", "invitee.created.json"}, {"shopify", "orders-create.json"}} {
		if err := q.Send(ctx, envelope(p[0], p[1], fixture(f, p...)), 0); err != nil {
			f.Fatal(err)
		}
	}
	if err := q.Send(ctx, envelope("typeform", "bin", []byte{0, 0xff, 0xfe, 'x'}), 0); err != nil {
		f.Fatal(err)
	}
	for _, m := range seed.sent {
		f.Add(m.body)
	}
	f.Add(`{"v":1,"source":"s","event_id":"e","org":"o","body":"\uffff","ops":[{"id":"x","fields":{"n":1e400}}]}`)
	f.Add(`{"v":1,"source":"s","event_id":"e","org":"o","body_ref":"q/none","body_size":3}`)
	f.Add(`not json`)
	f.Fuzz(func(t *testing.T, msg string) {
		env, raw, err := queue.Decode(ctx, msg, blobs)
		if err != nil {
			if !errors.Is(err, queue.ErrPoison) {
				t.Fatalf("non-poison error with a store that cannot fail: %v", err)
			}
			if env != nil || raw != nil {
				t.Fatalf("error with results")
			}
			return
		}
		sq := &fakeSQS{}
		rq := mustQueue(t, sq, blobs, queue.Options{})
		if err := rq.Send(ctx, env, 0); err != nil {
			t.Fatalf("re-send of a decoded envelope: %v", err)
		}
		env2, raw2, err := queue.Decode(ctx, sq.sent[0].body, blobs)
		if err != nil {
			t.Fatalf("decode of the re-sent envelope: %v", err)
		}
		if string(raw2) != string(raw) {
			t.Fatalf("body changed on re-send: %q -> %q", raw, raw2)
		}
		if err := rq.Send(ctx, env2, 0); err != nil {
			t.Fatalf("second re-send: %v", err)
		}
		if sq.sent[1].body != sq.sent[0].body {
			t.Fatalf("encoding not stable:\n%s\n%s", sq.sent[0].body, sq.sent[1].body)
		}
	})
}
