package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/core"
)

// envFakeChild makes the test binary play a child: it sends ready, starts
// a batch, reports one result and holds the batch until SIGTERM.
const envFakeChild = "ZOHOSYNC_CHAOS_FAKE_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(envFakeChild) != "" {
		os.Exit(fakeChild())
	}
	os.Exit(m.Run())
}

func fakeChild() int {
	if _, err := ParseSettings(os.Getenv(EnvSettings)); err != nil {
		return 2
	}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	c := &control{w: os.NewFile(controlFD, "control")}
	c.send(Message{Type: TypeReady})
	c.send(Message{Type: TypeStart})
	c.result(context.Background(), core.Result{Outcome: core.Done, RecordID: "9000000000001",
		Op: &core.Operation{ID: "buyer", Module: "Contacts", Sources: []core.Source{{EventID: "evt_1", Source: "stripe"}}}})
	<-term
	c.send(Message{Type: TypeEnd})
	return 0
}

var testSettings = Settings{Name: "w1", BatchSize: 10, Concurrency: 1, FunctionTimeout: time.Second}

func spawnFake(t *testing.T) (*Proc, func() []Message) {
	t.Helper()
	var mu sync.Mutex
	var got []Message
	var log bytes.Buffer
	p, err := Spawn(Spec{Command: []string{os.Args[0]}, Env: append(os.Environ(), envFakeChild+"=1"),
		Settings: testSettings, Log: &log, OnMessage: func(m Message) {
			mu.Lock()
			got = append(got, m)
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Ready(ctx); err != nil {
		t.Fatalf("ready: %v (log: %s)", err, log.String())
	}
	return p, func() []Message {
		mu.Lock()
		defer mu.Unlock()
		return append([]Message(nil), got...)
	}
}

func waitBusy(t *testing.T, p *Proc, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for p.Busy() != want {
		if time.Now().After(deadline) {
			t.Fatalf("busy = %d, want %d", p.Busy(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestKillMidBatch(t *testing.T) {
	p, msgs := spawnFake(t)
	waitBusy(t, p, 1)
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	if p.Busy() != 0 || p.Err() == nil {
		t.Errorf("after kill: busy %d, exit error %v; want 0 and a signal", p.Busy(), p.Err())
	}
	var result *Message
	for _, m := range msgs() {
		if m.Type == TypeResult {
			result = &m
		}
	}
	want := Message{Type: TypeResult, Event: "evt_1", Source: "stripe", Op: "buyer", Module: "Contacts",
		Outcome: "done", Record: "9000000000001"}
	if result == nil || *result != want {
		t.Errorf("result message = %+v, want %+v", result, want)
	}
}

func TestStopSettlesTheBatch(t *testing.T) {
	p, msgs := spawnFake(t)
	waitBusy(t, p, 1)
	if err := p.Stop(10 * time.Second); err != nil {
		t.Fatalf("stop: %v", err)
	}
	m := msgs()
	if last := m[len(m)-1]; last.Type != TypeEnd {
		t.Errorf("last message %+v, want the batch's end", last)
	}
}

func TestParseSettings(t *testing.T) {
	env, err := testSettings.Env()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseSettings(strings.TrimPrefix(env, EnvSettings+"="))
	if err != nil || got != testSettings {
		t.Errorf("round trip = %+v, %v; want %+v", got, err, testSettings)
	}
	bad := []string{"", "{", `{"batch_size":10,"concurrency":1}`, `{"batch_size":0,"concurrency":1,"function_timeout":1}`}
	for _, v := range bad {
		if _, err := ParseSettings(v); err == nil {
			t.Errorf("ParseSettings(%q): no error", v)
		}
	}
}

func TestResultMessageOfWholeEventDeadLetter(t *testing.T) {
	var b bytes.Buffer
	c := &control{w: &b}
	c.result(context.Background(), core.Result{Outcome: core.Dead,
		Problem: &core.Problem{Code: "MAPPING_EMPTY_FIELD"},
		Op:      &core.Operation{Sources: []core.Source{{EventID: "evt_2", Source: "stripe"}}}})
	var m Message
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	want := Message{Type: TypeResult, Event: "evt_2", Source: "stripe", Outcome: "dead", Code: "MAPPING_EMPTY_FIELD"}
	if m != want || !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
		t.Errorf("message %q, want %+v on one line", b.String(), want)
	}
}
