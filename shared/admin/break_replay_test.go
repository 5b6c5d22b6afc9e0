package admin

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Replay marks a dead letter, then enqueues its event. A function stopped at
// its timeout between the two leaves the dead letter marked but its event
// never enqueued: it is no longer pending and a second replay skips it. So
// replay must not start an event it may not finish, and must refuse
// selections too large for one invocation.
func TestReplayStopsBeforeTheInvocationEnds(t *testing.T) {
	h, _, dls, q := newHandler(t)
	dls.add("d1", "stripe", "e1")
	dls.add("d2", "stripe", "e2")
	ctx, cancel := context.WithTimeout(context.Background(), replayMargin/2)
	defer cancel()
	got, err := h.Handle(ctx, Request{Action: "replay", Org: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	a := got.(ReplayAnswer)
	if len(q.sent) != 0 || len(dls.marked) != 0 {
		t.Errorf("sent %d, marked %v with too little time left; want nothing", len(q.sent), dls.marked)
	}
	if !a.More || len(a.Failed) != 2 || !strings.Contains(a.Failed["d1"], "again") {
		t.Errorf("answer %+v; want both listed as not replayed (call again) and More", a)
	}
}

func TestReplayRefusesOversizeSelections(t *testing.T) {
	h, _, _, _ := newHandler(t)
	ids := make([]string, MaxReplayLimit+1)
	for i := range ids {
		ids[i] = "d" + time.Duration(i).String()
	}
	tests := []struct {
		name string
		req  Request
	}{
		{"too many ids", Request{Action: "replay", IDs: ids}},
		{"limit too large", Request{Action: "replay", Org: "acme", Limit: MaxReplayLimit + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := h.Handle(context.Background(), tt.req); !errors.Is(err, ErrBadRequest) {
				t.Errorf("err = %v, want ErrBadRequest", err)
			}
		})
	}
}

// A mistyped key must not be dropped silently: {"action":"replay",
// "sorce":"stripe"} would otherwise replay every pending dead letter of the
// org instead of the source's.
func TestInvokeRefusesUnknownKeys(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		wantErr bool
	}{
		{"mistyped filter", `{"action":"replay","sorce":"stripe"}`, true},
		{"mistyped preview", `{"action":"replay","org":"acme","previw":true}`, true},
		{"two objects", `{"action":"status"} {"action":"replay"}`, true},
		{"not an object", `"status"`, true},
		{"valid", `{"action":"replay","org":"acme","preview":true}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, dls, q := newHandler(t)
			dls.add("d1", "stripe", "e1")
			_, err := h.Invoke(context.Background(), []byte(tt.payload))
			if tt.wantErr && !errors.Is(err, ErrBadRequest) {
				t.Errorf("err = %v, want ErrBadRequest", err)
			}
			if !tt.wantErr && err != nil {
				t.Errorf("err = %v, want none", err)
			}
			if len(q.sent) != 0 || len(dls.marked) != 0 {
				t.Errorf("sent %d, marked %v; want nothing", len(q.sent), dls.marked)
			}
		})
	}
}

// A replay selection naming an org or source the config lacks (a typo)
// selects nothing; it must say so instead of answering an empty success.
func TestReplayRefusesUnknownOrgOrSource(t *testing.T) {
	tests := []struct {
		name string
		req  Request
	}{
		{"unknown org", Request{Action: "replay", Org: "acmee"}},
		{"unknown source", Request{Action: "replay", Source: "strip"}},
		{"unknown source of a known org", Request{Action: "replay", Org: "acme", Source: "strip"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, dls, q := newHandler(t)
			dls.add("d1", "stripe", "e1")
			if _, err := h.Handle(context.Background(), tt.req); !errors.Is(err, ErrBadRequest) {
				t.Errorf("err = %v, want ErrBadRequest", err)
			}
			if len(q.sent) != 0 {
				t.Errorf("sent %d", len(q.sent))
			}
		})
	}
}
