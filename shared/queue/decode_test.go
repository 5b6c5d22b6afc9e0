package queue_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/queue"
)

func TestDecode(t *testing.T) {
	ctx := context.Background()
	blobs := newFakeBlobs()
	body := []byte(`{"id":"evt_1","amount":820982911946154508,"note":"` + strings.Repeat("n", 200) + `"}`)
	sq := &fakeSQS{}
	q := mustQueue(t, sq, blobs, queue.Options{InlineLimit: 500})
	if err := q.Send(ctx, envelope("stripe", "evt_1", body), 0); err != nil {
		t.Fatal(err)
	}
	offloaded := sq.sent[0].body
	if !strings.Contains(offloaded, `"body_ref"`) {
		t.Fatal("test setup: body not out of band")
	}
	var ref string
	for k := range blobs.m {
		ref = k
	}
	tamper := func(data []byte) func() { return func() { blobs.m[ref] = data } }
	restore := tamper(append([]byte(nil), blobs.m[ref]...))
	down := errors.New("dynamodb unreachable")
	tests := []struct {
		name       string
		msg        string
		setup      func()
		blobErr    error
		wantPoison bool
		wantErr    bool
		wantBody   string
	}{
		{name: "out of band", msg: offloaded, wantBody: string(body)},
		{name: "inline", msg: `{"v":1,"source":"s","event_id":"e","org":"o","body":"hi","body_size":2,"body_sha256":""}`, wantBody: "hi"},
		{name: "base64", msg: `{"v":1,"source":"s","event_id":"e","org":"o","body":"/w==","body_encoding":"base64","body_size":1,"body_sha256":""}`, wantBody: "\xff"},
		{name: "not JSON", msg: "hello", wantPoison: true},
		{name: "empty", msg: "", wantPoison: true},
		{name: "trailing data", msg: `{"v":1,"source":"s","event_id":"e","org":"o"} {}`, wantPoison: true},
		{name: "newer version", msg: `{"v":2,"source":"s","event_id":"e","org":"o"}`, wantPoison: true},
		{name: "no org", msg: `{"v":1,"source":"s","event_id":"e"}`, wantPoison: true},
		{name: "bad base64", msg: `{"v":1,"source":"s","event_id":"e","org":"o","body":"!!","body_encoding":"base64"}`, wantPoison: true},
		{name: "blob gone", msg: strings.Replace(offloaded, ref, ref+"x", 1), wantPoison: true},
		{name: "blob of other length", msg: offloaded, setup: tamper([]byte("short")), wantPoison: true},
		{name: "blob of other content", msg: offloaded, setup: tamper([]byte(strings.ToUpper(string(body)))), wantPoison: true},
		{name: "blob store down", msg: offloaded, blobErr: down, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
				defer restore()
			}
			blobs.err = tt.blobErr
			defer func() { blobs.err = nil }()
			env, raw, err := queue.Decode(ctx, tt.msg, blobs)
			if got := errors.Is(err, queue.ErrPoison); got != tt.wantPoison {
				t.Fatalf("err = %v; poison %v, want %v", err, got, tt.wantPoison)
			}
			var pe *queue.PoisonError
			if tt.wantPoison && !errors.As(err, &pe) {
				t.Errorf("poison error is not a *PoisonError")
			}
			if tt.wantErr && (err == nil || !errors.Is(err, down)) {
				t.Errorf("err = %v, want the blob store's error (transient)", err)
			}
			if tt.wantPoison || tt.wantErr {
				return
			}
			if err != nil || env == nil || string(raw) != tt.wantBody {
				t.Errorf("got %q, %v; want %q", raw, err, tt.wantBody)
			}
		})
	}
	if _, _, err := queue.Decode(ctx, offloaded, nil); err == nil || errors.Is(err, queue.ErrPoison) {
		t.Errorf("no blob store: err = %v, want a non-poison error", err)
	}
	dec := queue.Decoder(blobs)
	if _, raw, err := dec(ctx, offloaded); err != nil || string(raw) != string(body) {
		t.Errorf("Decoder: %q, %v", raw, err)
	}
}

var _ core.Blobs = (*fakeBlobs)(nil)
