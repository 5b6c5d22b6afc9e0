package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

// fakeClaims keeps claim states in memory and records every call.
type fakeClaims struct {
	mu       sync.Mutex
	state    map[string]core.ClaimState // preset or reached states
	claimErr error
	doneErr  error
	relErr   error
	forced   *core.ClaimState // answer every Claim with this state
	calls    []string         // "claim src/id", "complete src/id", "release src/id"
	leases   []time.Duration
}

func newFakeClaims() *fakeClaims { return &fakeClaims{state: map[string]core.ClaimState{}} }

func (f *fakeClaims) Claim(_ context.Context, src, id string, lease time.Duration) (core.ClaimState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "claim "+src+"/"+id)
	f.leases = append(f.leases, lease)
	if f.claimErr != nil {
		return 0, f.claimErr
	}
	if f.forced != nil {
		return *f.forced, nil
	}
	if st, ok := f.state[src+"/"+id]; ok {
		if st == core.ClaimNew { // held by an earlier attempt in this process
			return core.ClaimBusy, nil
		}
		return st, nil
	}
	f.state[src+"/"+id] = core.ClaimNew
	return core.ClaimNew, nil
}

func (f *fakeClaims) Complete(_ context.Context, src, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "complete "+src+"/"+id)
	if f.doneErr != nil {
		return f.doneErr
	}
	f.state[src+"/"+id] = core.ClaimDone
	return nil
}

func (f *fakeClaims) Release(_ context.Context, src, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "release "+src+"/"+id)
	if f.relErr != nil {
		return f.relErr
	}
	delete(f.state, src+"/"+id)
	return nil
}

// fakeQueue records sent envelopes.
type fakeQueue struct {
	mu   sync.Mutex
	sent []*core.Envelope
	err  error
}

func (q *fakeQueue) Send(_ context.Context, env *core.Envelope, delay time.Duration) error {
	if delay != 0 {
		return fmt.Errorf("ingest sent with delay %v", delay)
	}
	if q.err != nil {
		return q.err
	}
	// Round-trip as the real queue would, so the envelope must marshal.
	b, err := env.Marshal()
	if err != nil {
		return err
	}
	got, err := core.UnmarshalEnvelope(b)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.sent = append(q.sent, got)
	return nil
}

func (q *fakeQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.sent)
}

// fakeIDs stands in for the mapping's EventID: a configured header, else a
// top-level "id" or "event_id" JSON field, else the body's SHA-256.
type fakeIDs struct {
	header map[string]string // source -> header name
	err    error
	fixed  string // when set, the answer for every delivery
	seen   []string
}

func (f *fakeIDs) EventID(source string, headers http.Header, body []byte, contentType string) (string, error) {
	f.seen = append(f.seen, source+" "+contentType)
	if f.err != nil {
		return "", f.err
	}
	if f.fixed != "" {
		return f.fixed, nil
	}
	if h := f.header[source]; h != "" && headers.Get(h) != "" {
		return headers.Get(h), nil
	}
	var doc struct {
		ID      string `json:"id"`
		EventID string `json:"event_id"`
	}
	if json.NewDecoder(bytes.NewReader(body)).Decode(&doc) == nil {
		if doc.ID != "" {
			return doc.ID, nil
		}
		if doc.EventID != "" {
			return doc.EventID, nil
		}
	}
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// fakeSecrets resolves references from a map.
type fakeSecrets map[string]string

func (f fakeSecrets) ResolveAll(_ context.Context, refs []string) ([]string, error) {
	out := make([]string, len(refs))
	for i, r := range refs {
		v, ok := f[r]
		if !ok {
			return nil, errors.New("secret " + r + ": not found")
		}
		out[i] = v
	}
	return out, nil
}
