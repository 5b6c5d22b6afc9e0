package syncer

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/retry"
)

// bigBodies decodes every message to a large body, as an out-of-band body
// fetched from the blob store.
func bigBodies(size int) func(context.Context, string) (*core.Envelope, []byte, error) {
	return func(_ context.Context, msg string) (*core.Envelope, []byte, error) {
		env, err := core.UnmarshalEnvelope([]byte(msg))
		if err != nil {
			return nil, nil, err
		}
		return env, make([]byte, size), nil
	}
}

// oneContact maps any event to one contact keyed by its event id.
type oneContact struct{}

func (oneContact) Map(env *core.Envelope, _ []byte) ([]core.Operation, error) {
	return []core.Operation{contact("c", env.EventID+"@example.com")}, nil
}

// heapCRM records the live heap while the calls run.
type heapCRM struct {
	fakeCRM
	heap uint64
}

func (c *heapCRM) Do(ctx context.Context, tok core.Token, call *core.Call) (*core.CallReport, error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	c.heap = max(c.heap, ms.HeapAlloc)
	return c.fakeCRM.Do(ctx, tok, call)
}

// A batch of events with large out-of-band bodies must not hold every body
// in memory at once: a batch of 1000 messages with bodies up to the 1 MiB
// default limit would need a gigabyte, far past the function's memory, and
// the crash would fail the whole batch again on every redelivery.
func TestLargeBodiesAreNotHeldForTheWholeBatch(t *testing.T) {
	const n, size = 40, 4 << 20
	r := newRig(t)
	crm := &heapCRM{}
	h, err := New(Deps{
		Decode: bigBodies(size), Mapper: oneContact{}, Planner: fakePlanner{}, CRM: crm,
		Classify: classify, Tokens: r.tokens, TokenWait: tokenWait, Ledger: r.ledger, Queue: r.queue,
		DeadLetters: r.dls, Policy: retry.Default,
		Metrics: func() *obs.Recorder { return obs.NewRecorder(discard{}) },
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []events.SQSMessage
	for i := range n {
		msgs = append(msgs, msg(t, fmt.Sprint("m", i), fmt.Sprint("e", i), nil))
	}
	resp, err := h.Handle(context.Background(), events.SQSEvent{Records: msgs})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("Handle: %v, failures %v", err, resp.BatchItemFailures)
	}
	if limit := uint64(n * size / 4); crm.heap > limit {
		t.Errorf("live heap during the Zoho calls %d MB, want under %d MB (the %d bodies total %d MB)",
			crm.heap>>20, limit>>20, n, n*size>>20)
	}
}
