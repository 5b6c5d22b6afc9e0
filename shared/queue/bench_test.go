package queue_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/zohosync/zohosync/shared/queue"
)

// nopSQS accepts everything and keeps nothing, so benchmarks measure the
// adapter alone.
type nopSQS struct{}

func (nopSQS) SendMessage(context.Context, *sqs.SendMessageInput, ...func(*sqs.Options)) (*sqs.SendMessageOutput, error) {
	return &sqs.SendMessageOutput{}, nil
}

func (nopSQS) SendMessageBatch(_ context.Context, in *sqs.SendMessageBatchInput, _ ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error) {
	return &sqs.SendMessageBatchOutput{}, nil
}

var benchBodies = []struct {
	name string
	path []string
}{
	{"stripe-1.5KB", []string{"stripe", "customer.created.json"}},
	{"shopify-13KB", []string{"shopify", "orders-create.json"}},
	{"shopify-315KB-out-of-band", []string{"shopify", "orders-create-large-over-256kb.json"}},
}

// BenchmarkEncode measures Send without the network: checks, hashing,
// JSON encoding, attributes (and for the large body, the in-memory blob put).
func BenchmarkEncode(b *testing.B) {
	ctx := context.Background()
	for _, bb := range benchBodies {
		body := fixture(b, bb.path...)
		env := envelope(bb.path[0], "evt_1", body)
		q := mustQueue(b, nopSQS{}, newFakeBlobs(), queue.Options{})
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if err := q.Send(ctx, env, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecode measures Decode of each message (the large one through
// the in-memory blob store).
func BenchmarkDecode(b *testing.B) {
	ctx := context.Background()
	for _, bb := range benchBodies {
		body := fixture(b, bb.path...)
		sq, blobs := &fakeSQS{}, newFakeBlobs()
		if err := mustQueue(b, sq, blobs, queue.Options{}).Send(ctx, envelope(bb.path[0], "evt_1", body), 0); err != nil {
			b.Fatal(err)
		}
		msg := sq.sent[0].body
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, _, err := queue.Decode(ctx, msg, blobs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
