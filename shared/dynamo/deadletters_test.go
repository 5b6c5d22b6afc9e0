package dynamo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/dynamo"
)

// deadLetter builds a dead letter of one Stripe event for org.
func deadLetter(t testing.TB, org, source, eventID, opID, code string, at time.Time) *core.DeadLetter {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "webhooks", "stripe", "customer.created.json"))
	if err != nil {
		t.Fatal(err)
	}
	env := core.Envelope{V: core.EnvelopeVersion, Source: source, EventID: eventID, Org: org,
		ReceivedAt: at.Add(-time.Minute), ContentType: "application/json",
		Headers: map[string]string{"user-agent": "Stripe/1.0"}}
	env.SetBody(body)
	dl := &core.DeadLetter{Org: org, Source: source, EventID: eventID, Route: "customer",
		Envelope: env, Code: code, Message: "invalid data", Attempts: 1,
		Details: json.RawMessage(`{"api_name":"Email","json_path":"$.data[0].Email"}`),
		FirstAt: at.Add(-30 * time.Second), At: at}
	if opID != "" {
		dl.Op = &core.Operation{ID: opID, Org: org, Module: "Contacts", Action: core.Upsert,
			Match: []string{"Email"}, Fields: map[string]any{
				"Email": "jenny.rosen@example.com", "Order_Id": json.Number("820982911946154508")}}
	}
	return dl
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDeadLetterPutGet(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{}).DeadLetters()
	tests := []struct {
		name string
		opID string
		body []byte // replaces the envelope's body when set
	}{
		{"operation", "contact", nil},
		{"whole event", "", nil},
		{"body too large for the item", "deal", noise(1_000_000, 7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := uniq("acme")
			dl := deadLetter(t, org, "stripe", uniq("evt"), tt.opID, "INVALID_DATA", clk.Now())
			if tt.body != nil {
				dl.Envelope.SetBody(tt.body)
			}
			if err := d.Put(ctx, dl); err != nil {
				t.Fatalf("Put: %v", err)
			}
			if want := dynamo.DeadLetterID("stripe", dl.EventID, tt.opID); dl.ID != want {
				t.Fatalf("ID = %q, want %q", dl.ID, want)
			}
			got, err := d.Get(ctx, dl.ID)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if g, w := mustJSON(t, got.DeadLetter), mustJSON(t, dl); g != w {
				t.Errorf("Get returned\n%.300s\nwant\n%.300s", g, w)
			}
			if !got.ReplayedAt.IsZero() || got.BodyLost {
				t.Errorf("ReplayedAt = %v, BodyLost = %v; want zero, false", got.ReplayedAt, got.BodyLost)
			}
			if want := clk.Now().Add(dynamo.DefaultDeadLetterTTL).Truncate(time.Second); !got.ExpiresAt.Equal(want) {
				t.Errorf("ExpiresAt = %v, want %v", got.ExpiresAt, want)
			}
			if err := d.Delete(ctx, dl.ID); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := d.Get(ctx, dl.ID); !errors.Is(err, dynamo.ErrNotFound) {
				t.Errorf("after Delete: err = %v, want ErrNotFound", err)
			}
			if n := countItems(t, "blob#dl/"+dl.ID, ""); n != 0 {
				t.Errorf("%d document blob items left after Delete", n)
			}
		})
	}
}

func TestDeadLetterIdempotent(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{}).DeadLetters()
	org, evt := uniq("acme"), uniq("evt")
	first := deadLetter(t, org, "stripe", evt, "contact", "INVALID_DATA", clk.Now())
	if err := d.Put(ctx, first); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	again := deadLetter(t, org, "stripe", evt, "contact", "MANDATORY_NOT_FOUND", clk.Now())
	again.Attempts = 2
	if err := d.Put(ctx, again); err != nil {
		t.Fatalf("second Put: %v", err)
	}
	if again.ID != first.ID {
		t.Fatalf("ids differ: %s, %s", first.ID, again.ID)
	}
	got, err := d.Get(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Code != "INVALID_DATA" || got.Attempts != 1 {
		t.Errorf("stored code %s, attempts %d; want the first write (INVALID_DATA, 1)", got.Code, got.Attempts)
	}
	page, err := d.List(ctx, dynamo.Query{Org: org})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Errorf("listing holds %d dead letters, want 1", len(page.Items))
	}
	other := deadLetter(t, org, "stripe", evt, "deal", "INVALID_DATA", clk.Now())
	if err := d.Put(ctx, other); err != nil {
		t.Fatal(err)
	}
	if other.ID == first.ID {
		t.Errorf("another operation of the same event got the same id")
	}
}

func TestDeadLetterKeepsOutOfBandBody(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	tb := mustTable(t, clk, dynamo.Options{DeadLetterTTL: 90 * 24 * time.Hour})
	d, blobs := tb.DeadLetters(), tb.Blobs()
	body := largeWebhook(t)
	key := uniq("q/body")
	if err := blobs.PutBlob(ctx, key, body); err != nil {
		t.Fatal(err)
	}
	dl := deadLetter(t, uniq("acme"), "shopify", uniq("evt"), "order", "INVALID_DATA", clk.Now())
	dl.Envelope.Body, dl.Envelope.BodyRef = "", key
	if err := d.Put(ctx, dl); err != nil {
		t.Fatal(err)
	}
	clk.Advance(60 * 24 * time.Hour) // past the blob's own 14 days
	got, err := blobs.GetBlob(ctx, key)
	if err != nil {
		t.Fatalf("body of a dead letter after 60 days: %v", err)
	}
	if !bytes.Equal(got, body) {
		t.Errorf("body changed")
	}
	rec, err := d.Get(ctx, dl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.BodyLost || rec.Envelope.BodyRef != key {
		t.Errorf("BodyLost = %v, BodyRef = %q; want false, %q", rec.BodyLost, rec.Envelope.BodyRef, key)
	}

	lost := deadLetter(t, dl.Org, "shopify", uniq("evt"), "order", "INVALID_DATA", clk.Now())
	lost.Envelope.Body, lost.Envelope.BodyRef = "", uniq("q/gone")
	if err := d.Put(ctx, lost); err != nil {
		t.Fatalf("Put with a missing body blob: %v", err)
	}
	if rec, err := d.Get(ctx, lost.ID); err != nil || !rec.BodyLost {
		t.Errorf("missing body: BodyLost = %v, err = %v; want true, nil", rec != nil && rec.BodyLost, err)
	}
}

func TestDeadLetterExpiry(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{DeadLetterTTL: time.Hour}).DeadLetters()
	org := uniq("acme")
	dl := deadLetter(t, org, "stripe", uniq("evt"), "contact", "INVALID_DATA", clk.Now())
	if err := d.Put(ctx, dl); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour) // DynamoDB Local keeps the items; reads must not
	if _, err := d.Get(ctx, dl.ID); !errors.Is(err, dynamo.ErrNotFound) {
		t.Errorf("Get past expiry: err = %v, want ErrNotFound", err)
	}
	if page, err := d.List(ctx, dynamo.Query{Org: org}); err != nil || len(page.Items) != 0 {
		t.Errorf("List past expiry: %d items, err %v; want none", len(page.Items), err)
	}
	if c, err := d.Counts(ctx, org, time.Time{}); err != nil || c.Total != 0 {
		t.Errorf("Counts past expiry: %+v, %v; want zero", c, err)
	}
	if _, err := d.MarkReplayed(ctx, dl.ID); !errors.Is(err, dynamo.ErrNotFound) {
		t.Errorf("MarkReplayed past expiry: err = %v, want ErrNotFound", err)
	}
	again := deadLetter(t, org, "stripe", dl.EventID, "contact", "NO_PERMISSION", clk.Now())
	if err := d.Put(ctx, again); err != nil {
		t.Fatal(err)
	}
	if rec, err := d.Get(ctx, dl.ID); err != nil || rec.Code != "NO_PERMISSION" {
		t.Errorf("rewrite after expiry: %v, %v; want the new dead letter", rec, err)
	}
}

// seedListing writes, one minute apart (oldest first), the dead letters
// the listing tests query, and returns their ids newest first.
func seedListing(t *testing.T, d *dynamo.DeadLetters, clk *clock, org, src2 string) []string {
	t.Helper()
	specs := []struct{ src, code string }{
		{"stripe", "INVALID_DATA"}, {src2, "DUPLICATE_DATA"}, {"stripe", "INVALID_DATA"},
		{src2, "INVALID_DATA"}, {"stripe", "NO_PERMISSION"}, {"stripe", "INVALID_DATA"},
	}
	ids := make([]string, len(specs))
	for i, s := range specs {
		clk.Advance(time.Minute)
		dl := deadLetter(t, org, s.src, uniq("evt"), "contact", s.code, clk.Now())
		if err := d.Put(context.Background(), dl); err != nil {
			t.Fatal(err)
		}
		ids[len(specs)-1-i] = dl.ID
	}
	return ids
}

func TestDeadLetterList(t *testing.T) {
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{}).DeadLetters()
	org, src2 := uniq("acme"), uniq("shop#%1") // escaping must keep "#" and "%" apart
	start := clk.Now()
	ids := seedListing(t, d, clk, org, src2) // ids[0] newest (start+6m) … ids[5] oldest (start+1m)
	minute := func(n int) time.Time { return start.Add(time.Duration(n) * time.Minute) }
	tests := []struct {
		name string
		q    dynamo.Query
		want []string
	}{
		{"org", dynamo.Query{Org: org}, ids},
		{"org and code", dynamo.Query{Org: org, Code: "INVALID_DATA"}, []string{ids[0], ids[2], ids[3], ids[5]}},
		{"source", dynamo.Query{Source: src2}, []string{ids[2], ids[4]}},
		{"source and code", dynamo.Query{Source: src2, Code: "DUPLICATE_DATA"}, []string{ids[4]}},
		{"source of another org", dynamo.Query{Source: src2, Org: "other"}, nil},
		{"from", dynamo.Query{Org: org, From: minute(5)}, ids[:2]},
		{"to", dynamo.Query{Org: org, To: minute(2)}, ids[5:]},
		{"from and to", dynamo.Query{Org: org, From: minute(2), To: minute(4)}, ids[3:5]},
		{"range with code", dynamo.Query{Org: org, Code: "INVALID_DATA", From: minute(3)}, []string{ids[0], ids[2], ids[3]}},
		{"unknown code", dynamo.Query{Org: org, Code: "NOPE"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, limit := range []int{0, 1, 2, 4} {
				got := listAll(t, d, tt.q, limit)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("limit %d: got %v, want %v", limit, got, tt.want)
				}
			}
		})
	}
}

// listAll follows a listing's cursors and returns the ids in order.
func listAll(t *testing.T, d *dynamo.DeadLetters, q dynamo.Query, limit int) []string {
	t.Helper()
	q.Limit = limit
	var ids []string
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("listing does not end")
		}
		page, err := d.List(context.Background(), q)
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if limit > 0 && len(page.Items) > limit {
			t.Fatalf("page of %d items, limit %d", len(page.Items), limit)
		}
		for _, s := range page.Items {
			ids = append(ids, s.ID)
		}
		if page.Next == "" {
			return ids
		}
		q.Cursor = page.Next
	}
}

func TestDeadLetterSummary(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{}).DeadLetters()
	org := uniq("acme")
	dl := deadLetter(t, org, "stripe", uniq("evt"), "contact", "INVALID_DATA", clk.Now())
	dl.Message = string(bytes.Repeat([]byte("é"), 400)) // 800 bytes
	if err := d.Put(ctx, dl); err != nil {
		t.Fatal(err)
	}
	page, err := d.List(ctx, dynamo.Query{Org: org})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("List: %d items, %v", len(page.Items), err)
	}
	s := page.Items[0]
	want := dynamo.Summary{ID: dl.ID, Org: org, Source: "stripe", EventID: dl.EventID, Op: "contact",
		Module: "Contacts", Route: "customer", Code: "INVALID_DATA", Message: dl.Message[:512], Attempts: 1,
		At: dl.At, FirstAt: dl.FirstAt, ExpiresAt: clk.Now().Add(dynamo.DefaultDeadLetterTTL).Truncate(time.Second)}
	if fmt.Sprint(s) != fmt.Sprint(want) {
		t.Errorf("summary\n%+v\nwant\n%+v", s, want)
	}
}

func TestDeadLetterBadQueries(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{}).DeadLetters()
	org := uniq("acme")
	seedListing(t, d, clk, org, "shopify")
	page, err := d.List(ctx, dynamo.Query{Org: org, Limit: 2})
	if err != nil || page.Next == "" {
		t.Fatalf("first page: next %q, %v", page.Next, err)
	}
	tests := []struct {
		name string
		q    dynamo.Query
	}{
		{"no org or source", dynamo.Query{Code: "INVALID_DATA"}},
		{"empty range", dynamo.Query{Org: org, From: clk.Now(), To: clk.Now()}},
		{"garbage cursor", dynamo.Query{Org: org, Cursor: "!!"}},
		{"cursor not json", dynamo.Query{Org: org, Cursor: "bm90IGpzb24"}},
		{"cursor of another listing", dynamo.Query{Org: org, Code: "INVALID_DATA", Cursor: page.Next}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := d.List(ctx, tt.q); !errors.Is(err, dynamo.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestDeadLetterReplayMark(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{}).DeadLetters()
	org := uniq("acme")
	dl := deadLetter(t, org, "stripe", uniq("evt"), "contact", "INVALID_DATA", clk.Now())
	if err := d.Put(ctx, dl); err != nil {
		t.Fatal(err)
	}
	m, err := d.MarkReplayed(ctx, dl.ID)
	if err != nil {
		t.Fatalf("MarkReplayed: %v", err)
	}
	if _, err := d.MarkReplayed(ctx, dl.ID); !errors.Is(err, dynamo.ErrAlreadyReplayed) {
		t.Errorf("second mark: err = %v, want ErrAlreadyReplayed", err)
	}
	checkReplayed(t, d, org, dl.ID, m.At)
	forged := m
	forged.Token = "not-the-token"
	if err := d.UnmarkReplayed(ctx, forged); !errors.Is(err, dynamo.ErrNotHeld) {
		t.Errorf("unmark with another token: err = %v, want ErrNotHeld", err)
	}
	if err := d.UnmarkReplayed(ctx, m); err != nil {
		t.Fatalf("UnmarkReplayed: %v", err)
	}
	checkReplayed(t, d, org, dl.ID, time.Time{})
	if err := d.UnmarkReplayed(ctx, m); !errors.Is(err, dynamo.ErrNotHeld) {
		t.Errorf("unmark twice: err = %v, want ErrNotHeld", err)
	}
	if _, err := d.MarkReplayed(ctx, "0000"); !errors.Is(err, dynamo.ErrNotFound) {
		t.Errorf("mark of a missing dead letter: err = %v, want ErrNotFound", err)
	}
}

// checkReplayed checks the replay state in Get, List, Pending and Counts.
func checkReplayed(t *testing.T, d *dynamo.DeadLetters, org, id string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	rec, err := d.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	page, err := d.List(ctx, dynamo.Query{Org: org})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("List: %d items, %v", len(page.Items), err)
	}
	pending, err := d.List(ctx, dynamo.Query{Org: org, Pending: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Counts(ctx, org, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	wantPending := 1
	if !at.IsZero() {
		wantPending = 0
	}
	if !rec.ReplayedAt.Equal(at) || !page.Items[0].ReplayedAt.Equal(at) {
		t.Errorf("ReplayedAt: Get %v, List %v; want %v", rec.ReplayedAt, page.Items[0].ReplayedAt, at)
	}
	if len(pending.Items) != wantPending || c.Pending != wantPending || c.Total != 1 {
		t.Errorf("pending: listed %d, counted %d of %d; want %d of 1", len(pending.Items), c.Pending, c.Total, wantPending)
	}
}

func TestDeadLetterReplayRace(t *testing.T) {
	ctx := context.Background()
	d := mustTable(t, newClock(), dynamo.Options{}).DeadLetters()
	dl := deadLetter(t, uniq("acme"), "stripe", uniq("evt"), "contact", "INVALID_DATA", newClock().Now())
	if err := d.Put(ctx, dl); err != nil {
		t.Fatal(err)
	}
	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = d.MarkReplayed(ctx, dl.ID) }()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, dynamo.ErrAlreadyReplayed):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d marks succeeded, want exactly 1", won)
	}
}

func TestDeadLetterCounts(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	d := mustTable(t, clk, dynamo.Options{}).DeadLetters()
	org := uniq("acme")
	start := clk.Now()
	ids := seedListing(t, d, clk, org, "shopify")
	if _, err := d.MarkReplayed(ctx, ids[5]); err != nil { // the oldest INVALID_DATA
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		since time.Time
		want  dynamo.Counts
	}{
		{"all", time.Time{}, dynamo.Counts{Tally: dynamo.Tally{Total: 6, Pending: 5},
			ByCode:        map[string]dynamo.Tally{"INVALID_DATA": {4, 3}, "DUPLICATE_DATA": {1, 1}, "NO_PERMISSION": {1, 1}},
			OldestPending: start.Add(2 * time.Minute)}},
		{"last 2 minutes", start.Add(5 * time.Minute), dynamo.Counts{Tally: dynamo.Tally{Total: 2, Pending: 2},
			ByCode:        map[string]dynamo.Tally{"INVALID_DATA": {1, 1}, "NO_PERMISSION": {1, 1}},
			OldestPending: start.Add(5 * time.Minute)}},
		{"other org", time.Time{}, dynamo.Counts{ByCode: map[string]dynamo.Tally{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := org
			if tt.name == "other org" {
				o = uniq("nobody")
			}
			got, err := d.Counts(ctx, o, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDeadLetterInvalid(t *testing.T) {
	ctx := context.Background()
	d := mustTable(t, newClock(), dynamo.Options{}).DeadLetters()
	tests := []struct {
		name string
		dl   *core.DeadLetter
	}{
		{"nil", nil},
		{"no org", &core.DeadLetter{Source: "s", EventID: "e"}},
		{"no source", &core.DeadLetter{Org: "o", EventID: "e"}},
		{"no event", &core.DeadLetter{Org: "o", Source: "s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := d.Put(ctx, tt.dl); !errors.Is(err, dynamo.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}
