package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/emu/emutest"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

// zohoFixture reads a Zoho sample body from the repository's testdata/zoho.
func zohoFixture(t testing.TB, name string) []byte {
	t.Helper()
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "testdata", "zoho", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeAccounts is a hand-written Zoho accounts server for unit tests: it
// mints distinct tokens for one client and one refresh token, can be told
// to answer with a canned body instead, and counts what it was asked.
type fakeAccounts struct {
	t      testing.TB
	srv    *httptest.Server
	id     string
	secret string
	rt     string

	mu     sync.Mutex
	answer func(r *http.Request) (int, []byte) // nil: mint
	calls  atomic.Int64
	delay  time.Duration
	seq    int
}

func newFakeAccounts(t testing.TB) *fakeAccounts {
	f := &fakeAccounts{t: t, id: "1000.CLIENTID", secret: "client-secret-value", rt: "1000.refresh-token-value"}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAccounts) URL() string { return f.srv.URL }

func (f *fakeAccounts) setAnswer(a func(r *http.Request) (int, []byte)) {
	f.mu.Lock()
	f.answer = a
	f.mu.Unlock()
}

func (f *fakeAccounts) serve(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if r.URL.Path != "/oauth/v2/token" || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	answer := f.answer
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if answer != nil {
		status, body := answer(r)
		w.WriteHeader(status)
		w.Write(body)
		return
	}
	if r.PostForm.Get("client_id") != f.id || r.PostForm.Get("client_secret") != f.secret {
		w.Write([]byte(`{"error":"invalid_client"}`))
		return
	}
	resp := map[string]any{"api_domain": "https://www.zohoapis.eu", "token_type": "Bearer", "expires_in": 3600}
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
		if r.PostForm.Get("refresh_token") != f.rt {
			w.Write([]byte(`{"error":"invalid_code"}`))
			return
		}
	case "authorization_code":
		if r.PostForm.Get("code") != "grant-code" {
			w.Write([]byte(`{"error":"invalid_code"}`))
			return
		}
		resp["refresh_token"] = f.rt
	default:
		w.Write([]byte(`{"error":"unsupported_grant_type"}`))
		return
	}
	f.mu.Lock()
	f.seq++
	resp["access_token"] = fmt.Sprintf("1000.access.%04d", f.seq)
	f.mu.Unlock()
	json.NewEncoder(w).Encode(resp)
}

// clock is an injectable clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().Truncate(time.Millisecond)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// countingDB wraps a DB, counting calls and optionally failing them.
type countingDB struct {
	DB
	gets, updates atomic.Int64
	failUpdate    func(in *dynamodb.UpdateItemInput) error
}

func (c *countingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.DB.GetItem(ctx, in, o...)
}

func (c *countingDB) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.updates.Add(1)
	if c.failUpdate != nil {
		if err := c.failUpdate(in); err != nil {
			return nil, err
		}
	}
	return c.DB.UpdateItem(ctx, in, o...)
}

// rig is a provisioned table plus the options every Store of a test shares.
type rig struct {
	db    DB
	table string
	opt   Options
}

func newRig(t testing.TB, accountsURL string, c Client) *rig {
	t.Helper()
	names := emutest.Provision(t)
	r := &rig{db: emutest.Dynamo(t), table: names.Tables["StateTable"]}
	r.opt = Options{
		Table:        r.table,
		Clients:      func(context.Context, string) (Client, error) { return c, nil },
		AccountsURLs: map[string]string{"acme": accountsURL},
	}
	return r
}

// store builds a Store (one "container") over the rig's table.
func (r *rig) store(t testing.TB, mod func(*Options)) *Store {
	t.Helper()
	opt := r.opt
	if mod != nil {
		mod(&opt)
	}
	s, err := New(r.db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustConnect(t testing.TB, s *Store, f *fakeAccounts) Connection {
	t.Helper()
	c, err := s.Connect(context.Background(), "acme", "eu", "grant-code", f.id, f.secret)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	return c
}

// scheduledEvent loads the repository's sample schedule event
// (events/refresh-schedule.json), the event the refresh function receives.
func scheduledEvent(t testing.TB) events.EventBridgeEvent {
	t.Helper()
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "events", "refresh-schedule.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev events.EventBridgeEvent
	if err := json.Unmarshal(b, &ev); err != nil || ev.DetailType != "Scheduled Event" {
		t.Fatalf("sample schedule event: %v %+v", err, ev)
	}
	return ev
}
