package main

import (
	"context"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

func result(event, op string, o core.Outcome, code string) core.Result {
	r := core.Result{Op: &core.Operation{ID: op, Sources: []core.Source{{EventID: event}}}, Outcome: o}
	if code != "" {
		r.Problem = &core.Problem{Code: code}
	}
	return r
}

func TestTracker(t *testing.T) {
	tr := newTracker()
	start := time.Now()
	tr.expectEvent("e1", 2)
	tr.expectEvent("e2", 1)
	tr.expectEvent("e3", 1)
	tr.expectEvent("ignored", 0)
	for _, id := range []string{"e1", "e2", "e3", "ignored"} {
		tr.post(id, start)
	}
	ctx := context.Background()
	tr.result(ctx, result("e1", "contact", core.Done, ""))
	tr.result(ctx, result("e2", "lead", core.Retry, "TOO_MANY_REQUESTS"))
	tr.drop("e3") // rejected by the front door
	wctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	if err := tr.wait(wctx); err == nil {
		t.Fatal("wait returned while e1 and e2 were unfinished")
	}
	cancel()
	tr.result(ctx, result("e1", "deal", core.Done, ""))
	tr.result(ctx, result("e2", "", core.Dead, "MAPPING_ERROR")) // a whole-event dead letter
	if err := tr.wait(ctx); err != nil {
		t.Fatal(err)
	}
	st := tr.stats(start)
	if st.records != 2 || st.deadOps != 1 || st.requeued != 1 || st.codes["TOO_MANY_REQUESTS"] != 1 || st.unfinished != 0 {
		t.Errorf("stats = %+v, want 2 records, 1 dead, 1 requeued (TOO_MANY_REQUESTS), none unfinished", st)
	}
	if len(st.toCRM) != 1 {
		t.Errorf("toCRM has %d events, want 1 (only e1 wrote records)", len(st.toCRM))
	}
	// A duplicate delivery's result must not finish an event twice.
	tr.result(ctx, result("e1", "deal", core.Done, ""))
	if st := tr.stats(start); len(st.toCRM) != 1 {
		t.Errorf("toCRM has %d events after a duplicate result, want 1", len(st.toCRM))
	}
}
