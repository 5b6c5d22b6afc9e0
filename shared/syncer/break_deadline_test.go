package syncer

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/retry"
)

// hangingCRM holds every call until its context ends, as a Zoho that
// accepted the connection but never answers.
type hangingCRM struct{}

func (hangingCRM) Do(ctx context.Context, _ core.Token, _ *core.Call) (*core.CallReport, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// hangingTokens waits for another worker's refresh until its context ends.
type hangingTokens struct{ fakeTokens }

func (*hangingTokens) Token(ctx context.Context, _ string) (core.Token, error) {
	<-ctx.Done()
	return core.Token{}, ctx.Err()
}

// ctxQueue fails a send whose context has ended, as the SQS client does.
type ctxQueue struct{ fakeQueue }

func (q *ctxQueue) Send(ctx context.Context, env *core.Envelope, delay time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return q.fakeQueue.Send(ctx, env, delay)
}

// A Zoho call or token wait that starts with less than CallTimeout +
// Reserve of the invocation left and then hangs must still leave the
// reserve for settling: the message is requeued, not reported as a batch
// item failure (which would hold it for the whole visibility timeout and
// count a receive towards the SQS dead-letter queue).
func TestHangingCallLeavesTimeToSettle(t *testing.T) {
	tests := []struct {
		name   string
		left   time.Duration // invocation time left when the batch starts
		crm    core.CRM
		tokens core.Tokens
	}{
		{"call, just enough time to start", 1700 * time.Millisecond, hangingCRM{}, &fakeTokens{}},
		{"call, less than a call timeout plus the reserve", 2200 * time.Millisecond, hangingCRM{}, &fakeTokens{}},
		{"token wait", 2200 * time.Millisecond, &fakeCRM{}, &hangingTokens{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &ctxQueue{}
			r := newRig(t)
			h, err := New(Deps{
				Decode: r.h.d.Decode, Mapper: fakeMapper{}, Planner: fakePlanner{}, CRM: tt.crm,
				Classify: classify, Tokens: tt.tokens, TokenWait: tokenWait, Ledger: r.ledger, Queue: q,
				DeadLetters: r.dls, Policy: retry.Default,
				Metrics: func() *obs.Recorder { return obs.NewRecorder(discard{}) },
			}, Options{CallTimeout: 2 * time.Second, Reserve: 500 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), tt.left)
			defer cancel()
			resp, err := h.Handle(ctx, events.SQSEvent{Records: []events.SQSMessage{
				msg(t, "m1", "e1", nil, contact("c", "a@example.com"))}})
			if err != nil {
				t.Fatalf("batch-level error: %v", err)
			}
			if len(resp.BatchItemFailures) != 0 {
				t.Errorf("batch item failures %v, want none (the message should be requeued)", resp.BatchItemFailures)
			}
			if got := len(q.sent); got != 1 {
				t.Fatalf("requeued %d envelopes, want 1", got)
			}
			if ops := q.sent[0].env.Ops; len(ops) != 1 || !reflect.DeepEqual(ops[0].Fields["Email"], "a@example.com") {
				t.Errorf("requeued ops %+v, want the contact", ops)
			}
		})
	}
}
