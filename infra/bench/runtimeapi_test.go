package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/zohosync/zohosync/infra/local/emu"
)

// TestStartOnce runs the minimal echo function against the runtime API:
// it must ask for work, answer every event and report timings.
func TestStartOnce(t *testing.T) {
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	boot := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", boot, echoPkg)
	build.Dir, build.Env = root, append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build echo: %v\n%s", err, out)
	}
	cs, err := startOnce(context.Background(), boot, nil, []byte(`{"value":1}`), 2)
	if err != nil {
		t.Fatal(err)
	}
	if cs.init <= 0 || cs.first <= 0 || len(cs.warm) != 2 || cs.warm[0] <= 0 {
		t.Errorf("timings = %+v, want a positive init, first invoke and two warm invokes", cs)
	}
	if cs.selfInit != 0 {
		t.Errorf("echo reported an InitDuration of %v, want none", cs.selfInit)
	}
	if _, err := startOnce(context.Background(), filepath.Join(t.TempDir(), "missing"), nil, nil, 0); err == nil {
		t.Error("a missing bootstrap started")
	}
}
