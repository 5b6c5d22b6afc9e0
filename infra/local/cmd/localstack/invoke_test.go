package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/stack"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

// TestInvokeEveryEventUnderRIE runs each events/ file through its function's
// bootstrap (built for this machine) under the RIE, against the local stack,
// one invoke at a time, and checks the response.
func TestInvokeEveryEventUnderRIE(t *testing.T) {
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "events", "*.json"))
	if len(files) == 0 {
		t.Fatal("no events")
	}
	rie := filepath.Join(root, ".bin", "aws-lambda-rie")
	if _, err := os.Stat(rie); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("aws-lambda-rie missing (make deps): %v", err)
		}
		t.Skipf("aws-lambda-rie missing (make deps): %v", err)
	}
	st, err := stack.Up(context.Background(), stack.Options{Root: root, Emulators: emutest.Get(t), Prefix: emutest.Name("rie")})
	if err != nil {
		t.Fatal(err)
	}
	env := st.FunctionEnv()
	secrets, _ := secretEnv(root)
	for k, v := range secrets {
		env[k] = v
	}
	sim, err := startSimulator(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Stop()
	if env["ZOHOSYNC_CONFIG"], err = localConfig(root, sim.AccountsURL(localDC)); err != nil {
		t.Fatal(err)
	}
	if err := stack.SetEnv(env); err != nil {
		t.Fatal(err)
	}
	// Every event but connect needs a connected org, as after deployment.
	h, err := buildHandlers(context.Background(), &Wiring{Stack: st, Env: env, Sim: sim, Logs: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := connect(context.Background(), h, sim); err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	built := map[string]string{}
	for _, file := range files {
		name := filepath.Base(file)
		fn, _, _ := strings.Cut(name, "-")
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(root, "functions", fn, "main.go")); err != nil {
				t.Skipf("functions/%s does not exist yet", fn)
			}
			boot, ok := built[fn]
			if !ok {
				boot = filepath.Join(bin, fn, "bootstrap")
				os.MkdirAll(filepath.Dir(boot), 0o755)
				cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", boot, "./functions/"+fn)
				cmd.Dir, cmd.Env = root, append(os.Environ(), "CGO_ENABLED=0")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("build %s: %v\n%s", fn, err, out)
				}
				built[fn] = boot
			}
			payload, _ := os.ReadFile(file)
			if payload, err = prepare(fn, payload, root, sim); err != nil {
				t.Fatal(err)
			}
			r, err := lambdaemu.StartRIE(context.Background(), lambdaemu.RIEConfig{RIE: rie, Bootstrap: boot,
				Name: "zohosync-" + fn, Timeout: timeouts[fn], Env: envList(env)})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Stop()
			start := time.Now()
			out, err := r.Invoke(context.Background(), payload)
			t.Logf("cold invoke %s", time.Since(start))
			var fe *lambdaemu.FunctionError
			if errors.As(err, &fe) || err != nil {
				t.Fatalf("invoke: %v", err)
			}
			if fn == "ingest" {
				var resp events.APIGatewayV2HTTPResponse
				if err := json.Unmarshal(out, &resp); err != nil || (resp.StatusCode != 202 && resp.StatusCode != 200) {
					t.Errorf("ingest answered %s, want 202 or 200", out)
				}
			}
			switch {
			case fn == "sync":
				var resp events.SQSEventResponse
				if err := json.Unmarshal(out, &resp); err != nil || len(resp.BatchItemFailures) != 0 {
					t.Errorf("sync answered %s, want no batch item failures", out)
				}
				if len(sim.(*simulator).Records("Contacts")) == 0 {
					t.Errorf("sync answered but no Contact reached the simulator")
				}
			case name == "admin-status.json":
				if !strings.Contains(string(out), `"connected":true`) {
					t.Errorf("status answered %s, want a connected org", out)
				}
			case name == "admin-connect.json":
				if !strings.Contains(string(out), `"api_domain":"http://127.0.0.1`) {
					t.Errorf("connect answered %s, want the simulator's api_domain", out)
				}
			case name == "admin-dry-run.json":
				if !strings.Contains(string(out), `"module":"Contacts"`) {
					t.Errorf("dry-run answered %s, want a Contacts call", out)
				}
			}
		})
	}
}
