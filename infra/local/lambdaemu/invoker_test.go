package lambdaemu

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

type in struct {
	Fail  bool   `json:"fail"`
	Panic bool   `json:"panic"`
	Sleep int    `json:"sleep_ms"`
	Value string `json:"value"`
}

type out struct {
	Echo      string `json:"echo"`
	RequestID string `json:"request_id"`
}

func handler(ctx context.Context, ev in) (out, error) {
	if ev.Panic {
		panic("asked to panic")
	}
	if ev.Fail {
		return out{}, errors.New("asked to fail")
	}
	time.Sleep(time.Duration(ev.Sleep) * time.Millisecond)
	lc, _ := lambdacontext.FromContext(ctx)
	return out{Echo: ev.Value, RequestID: lc.AwsRequestID}, nil
}

func TestInProcess(t *testing.T) {
	f := NewInProcess("echo", 200*time.Millisecond, handler)
	cases := []struct {
		name     string
		payload  string
		want     string
		wantType string
	}{
		{"ok", `{"value":"hi"}`, `"echo":"hi"`, ""},
		{"error", `{"fail":true}`, "", "errorString"},
		{"panic", `{"panic":true}`, "", "Runtime.Panic"},
		{"timeout", `{"sleep_ms":1000}`, "", "Sandbox.Timedout"},
		{"bad payload", `{"value":1}`, "", "Runtime.UnmarshalError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.Invoke(context.Background(), []byte(c.payload))
			var fe *FunctionError
			if c.wantType != "" {
				if !errors.As(err, &fe) || fe.Type != c.wantType {
					t.Fatalf("error = %v, want a FunctionError of type %s", err, c.wantType)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), c.want) || !strings.Contains(string(got), `"request_id":"`) {
				t.Errorf("response = %s, want it to contain %s and a request id", got, c.want)
			}
		})
	}
}

// rieBinary finds the pinned RIE that `make deps` installs.
func rieBinary(t *testing.T) string {
	t.Helper()
	p, _ := filepath.Abs("../../../.bin/aws-lambda-rie")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("aws-lambda-rie missing at %s (make deps installs it)", p)
		}
		t.Skipf("aws-lambda-rie missing at %s: run make deps", p)
	}
	return p
}

func TestRIE(t *testing.T) {
	rie := rieBinary(t)
	dir := t.TempDir()
	boot := filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", boot, "./testdata/echo")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build echo bootstrap: %v\n%s", err, out)
	}
	r, err := StartRIE(context.Background(), RIEConfig{RIE: rie, Bootstrap: boot, Name: "echo",
		Timeout: 5 * time.Second, Env: []string{"ECHO_VALUE=from-env"}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	cases := []struct {
		name      string
		payload   string
		want      string
		wantPanic bool
		wantErr   bool
	}{
		{name: "ok", payload: `{"value":{"a":1}}`, want: `{"echo":{"a":1},"env":"from-env"}`},
		{name: "error", payload: `{"fail":true}`, wantErr: true},
		{name: "panic", payload: `{"panic":true}`, wantErr: true, wantPanic: true},
		{name: "works after a panic", payload: `{"value":2}`, want: `{"echo":2,"env":"from-env"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := r.Invoke(context.Background(), []byte(c.payload))
			var fe *FunctionError
			if c.wantErr {
				if !errors.As(err, &fe) || fe.Panic != c.wantPanic {
					t.Fatalf("error = %v, want a FunctionError with Panic=%v", err, c.wantPanic)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("response = %s, want %s", got, c.want)
			}
		})
	}
}
