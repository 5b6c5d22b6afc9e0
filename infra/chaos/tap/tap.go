package tap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"time"
)

// maxBody caps the bodies the tap reads (the simulator's own default limit).
const maxBody = 8 << 20

// KeyFunc names a record of module for attribution (for example
// gen.RecordKey); false leaves the record out.
type KeyFunc func(module string, fields map[string]any) (string, bool)

// Codes for calls that got no answer, as zohosync names them.
const (
	CodeGaveUp  = "TIMEOUT"
	CodeDropped = "CONNECTION_ERROR"
)

// Stats counts what crossed the tap.
type Stats struct {
	// Calls are API calls (token calls aside); ByStatus splits the answered
	// ones by HTTP status.
	Calls    int
	ByStatus map[int]int
	// TokenCalls are calls to the accounts server; Mints those answered
	// with an access token.
	TokenCalls int
	Mints      int
	// GaveUp are calls the client abandoned before the answer (its
	// timeout); Dropped are calls the simulator closed unanswered.
	GaveUp  int
	Dropped int
	// Records is the number of records sent in writes.
	Records int
}

// Tap is a running proxy. Build it with Start.
type Tap struct {
	up     *url.URL
	key    KeyFunc
	client *http.Client
	srv    *http.Server
	url    string
	done   chan struct{}

	mu      sync.Mutex
	secrets map[string]struct{}
	codes   map[string]map[string]int
	stats   Stats
}

// Start listens on 127.0.0.1 and forwards to upstream (the simulator's
// base URL for one data centre).
func Start(upstream string, key KeyFunc) (*Tap, error) {
	up, err := url.Parse(upstream)
	if err != nil || up.Scheme == "" || up.Host == "" {
		return nil, fmt.Errorf("tap: bad upstream URL %q", upstream)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("tap: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	t := &Tap{up: up, key: key, client: &http.Client{Transport: tr}, url: "http://" + ln.Addr().String(),
		done: make(chan struct{}), secrets: map[string]struct{}{}, codes: map[string]map[string]int{},
		stats: Stats{ByStatus: map[int]int{}}}
	t.srv = &http.Server{Handler: t, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		defer close(t.done)
		_ = t.srv.Serve(ln) // http.ErrServerClosed after Close
	}()
	return t, nil
}

// URL is the tap's base URL: the accounts server and API domain zohosync
// should use.
func (t *Tap) URL() string { return t.url }

// Close stops the listener and ends calls in progress.
func (t *Tap) Close() error {
	err := t.srv.Close()
	<-t.done
	return err
}

// Secrets returns every credential value seen on the wire, sorted.
func (t *Tap) Secrets() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.secrets))
	for s := range t.secrets {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Codes returns how often each code was answered for the record with key.
func (t *Tap) Codes(key string) map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int, len(t.codes[key]))
	for c, n := range t.codes[key] {
		out[c] = n
	}
	return out
}

// Stats returns a snapshot of the counters.
func (t *Tap) Stats() Stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.stats
	s.ByStatus = make(map[int]int, len(t.stats.ByStatus))
	for k, v := range t.stats.ByStatus {
		s.ByStatus[k] = v
	}
	return s
}

// ServeHTTP forwards one call and records it.
func (t *Tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "tap: read request", http.StatusBadRequest)
		return
	}
	token := isTokenPath(r.URL.Path)
	t.noteRequest(r, body, token)
	x := t.parseCall(r.Method, r.URL.Path, body)
	status, hdr, answer, err := t.forward(r, body)
	if err != nil {
		t.unanswered(w, r.Context(), x)
		return
	}
	if token {
		answer = t.tokenAnswer(answer)
	} else {
		t.answered(x, status, answer)
	}
	for k, vs := range hdr {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(answer) // a client that went away is its own problem
}

// forward sends the call upstream under the caller's context and reads the
// whole answer.
func (t *Tap) forward(r *http.Request, body []byte) (int, http.Header, []byte, error) {
	u := *t.up
	u.Path, u.RawQuery = r.URL.Path, r.URL.RawQuery
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, answer, nil
}

// unanswered records a call that got no answer and passes the silence on:
// a client that gave up is gone already; a dropped call drops the client's
// connection too.
func (t *Tap) unanswered(w http.ResponseWriter, ctx context.Context, x *call) {
	code := CodeDropped
	if ctx.Err() != nil {
		code = CodeGaveUp
	}
	t.mu.Lock()
	if x != nil {
		if code == CodeGaveUp {
			t.stats.GaveUp++
		} else {
			t.stats.Dropped++
		}
	}
	t.noteCodesLocked(x, func(int) string { return code })
	t.mu.Unlock()
	if code == CodeDropped {
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic(http.ErrAbortHandler)
		}
		conn, _, err := hj.Hijack()
		if err != nil && !errors.Is(err, http.ErrNotSupported) {
			panic(http.ErrAbortHandler)
		}
		if conn != nil {
			conn.Close()
		}
	}
}
