package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/dynamo"
)

// A replayed event that fails again must be pending again: the sync writes
// the same dead letter id (same source, event and operation), and that
// write must not be swallowed as "written before", or the record is neither
// in Zoho nor replayable.
func TestDeadLetterFailsAgainAfterReplay(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{}).DeadLetters()
	tests := []struct {
		name      string
		opID      string
		firstCode string
		againCode string
	}{
		{"same code", "contact", "INVALID_DATA", "INVALID_DATA"},
		{"another code", "contact", "INVALID_DATA", "MANDATORY_NOT_FOUND"},
		{"whole event", "", "MAPPING_EMPTY_FIELD", "MAPPING_EMPTY_FIELD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org, evt := uniq("acme"), uniq("evt")
			first := deadLetter(t, org, "stripe", evt, tt.opID, tt.firstCode, clk.Now())
			if err := d.Put(ctx, first); err != nil {
				t.Fatal(err)
			}
			if _, err := d.MarkReplayed(ctx, first.ID); err != nil {
				t.Fatalf("MarkReplayed: %v", err)
			}
			clk.Advance(time.Minute)
			again := deadLetter(t, org, "stripe", evt, tt.opID, tt.againCode, clk.Now())
			again.Attempts = 3
			if err := d.Put(ctx, again); err != nil {
				t.Fatalf("Put after replay: %v", err)
			}
			got, err := d.Get(ctx, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.ReplayedAt.IsZero() || got.Code != tt.againCode || got.Attempts != 3 {
				t.Errorf("after a failed replay: replayed_at %v, code %s, attempts %d; want zero, %s, 3",
					got.ReplayedAt, got.Code, got.Attempts, tt.againCode)
			}
			checkReplayed(t, d, org, first.ID, time.Time{})
			// A redelivery of the failed replay's batch writes nothing new.
			dup := deadLetter(t, org, "stripe", evt, tt.opID, "OTHER", clk.Now())
			if err := d.Put(ctx, dup); err != nil {
				t.Fatal(err)
			}
			if got, err := d.Get(ctx, first.ID); err != nil || got.Code != tt.againCode {
				t.Errorf("a redelivered write replaced the pending dead letter: %+v, %v", got, err)
			}
			if _, err := d.MarkReplayed(ctx, first.ID); err != nil {
				t.Errorf("second replay of the new failure: %v", err)
			}
		})
	}
}
