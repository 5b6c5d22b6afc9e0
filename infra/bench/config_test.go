package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/shared/config"
)

func TestWriteConfig(t *testing.T) {
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	path, err := writeConfig(root, t.TempDir(), "http://127.0.0.1:4567")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("the rewritten config does not load: %v", err)
	}
	for name, o := range cfg.Orgs {
		if o.AccountsURL != "http://127.0.0.1:4567" {
			t.Errorf("org %s accounts_url = %q, want the simulator's", name, o.AccountsURL)
		}
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "sources:") {
		t.Error("the rewritten config lost its sources")
	}
}

func TestFunctionSettings(t *testing.T) {
	dir := t.TempDir()
	tpl := `Globals:
  Function:
    MemorySize: 256
    Timeout: 15
Resources:
  IngestFunction:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
  SyncFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub ${AWS::StackName}-sync
      MemorySize: 512
      Timeout: 60
  RefreshFunction:
    Type: AWS::Serverless::Function
  AdminFunction:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
`
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	mem, to, err := functionSettings(dir)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		fn  string
		mem int
		to  time.Duration
	}{{"IngestFunction", 256, 10 * time.Second}, {"SyncFunction", 512, time.Minute},
		{"RefreshFunction", 256, 15 * time.Second}, {"AdminFunction", 256, 2 * time.Minute}}
	for _, c := range cases {
		if mem[c.fn] != c.mem || to[c.fn] != c.to {
			t.Errorf("%s: %d MB, %s; want %d MB, %s", c.fn, mem[c.fn], to[c.fn], c.mem, c.to)
		}
	}
	os.WriteFile(filepath.Join(dir, "template.yaml"), []byte("Resources: {}\n"), 0o644)
	if _, _, err := functionSettings(dir); err == nil {
		t.Error("a template without memory sizes was accepted")
	}
}

func TestParseFlags(t *testing.T) {
	cases := []struct {
		args    []string
		wantErr bool
		check   func(options) bool
	}{
		{nil, false, func(o options) bool { return len(o.scenarios) == len(defaultScenarios()) && o.scale == 1 }},
		{[]string{"-scenarios", "burst, steady-2syncs", "-gobench", ""}, false,
			func(o options) bool {
				return len(o.scenarios) == 2 && o.scenarios[1] == "steady-2syncs" && len(o.goBench) == 0
			}},
		{[]string{"-scenarios", "nope"}, true, nil},
		{[]string{"-scale", "0"}, true, nil},
	}
	for _, c := range cases {
		o, err := parseFlags(c.args)
		if (err != nil) != c.wantErr {
			t.Errorf("parseFlags(%q) error = %v, want error %v", c.args, err, c.wantErr)
			continue
		}
		if err == nil && !c.check(o) {
			t.Errorf("parseFlags(%q) = %+v", c.args, o)
		}
	}
}

func TestMeanOf(t *testing.T) {
	if got := meanOf("fixed", 50*time.Millisecond, 0); got != 50*time.Millisecond {
		t.Errorf("fixed mean = %v, want 50ms", got)
	}
	// lognormal median 300 ms, p99 1 s: sigma = ln(10/3)/2.326 = 0.5176, mean = 300 × e^(0.134) = 343 ms.
	if got := meanOf("lognormal", 300*time.Millisecond, time.Second); got < 342*time.Millisecond || got > 344*time.Millisecond {
		t.Errorf("lognormal mean = %v, want about 343ms", got)
	}
}
