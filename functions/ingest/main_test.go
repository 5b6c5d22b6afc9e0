package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/zohosync/zohosync/shared/secrets"
)

// paramStore is a one-parameter SSM stand-in.
type paramStore struct{ name, value string }

func (p paramStore) GetParameter(_ context.Context, in *ssm.GetParameterInput, _ ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	if *in.Name != p.name {
		return nil, &ssmtypes.ParameterNotFound{}
	}
	v := p.value
	return &ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{Value: &v}}, nil
}

const shipped = "../../config/zohosync.yaml"

func TestLoadConfig(t *testing.T) {
	data, err := os.ReadFile(shipped)
	if err != nil {
		t.Fatal(err)
	}
	r := secrets.NewResolver(secrets.Options{SSM: paramStore{"/zohosync/config", string(data)}})
	for _, where := range []string{shipped, "ssm:/zohosync/config"} {
		cfg, err := loadConfig(context.Background(), where, r)
		if err != nil {
			t.Fatalf("loadConfig(%q): %v", where, err)
		}
		if cfg.Sources["stripe"] == nil || cfg.File != where {
			t.Errorf("loadConfig(%q): no stripe source or File %q", where, cfg.File)
		}
	}
	if _, err := loadConfig(context.Background(), "ssm:/zohosync/absent", r); err == nil ||
		!strings.Contains(err.Error(), "ssm:/zohosync/absent") {
		t.Errorf("missing parameter: %v, want an error naming it", err)
	}
	// The test binary has no config beside it.
	if _, err := loadConfig(context.Background(), "bundled", r); err == nil ||
		!strings.Contains(err.Error(), "bundled config not found") {
		t.Errorf("bundled without a file: %v", err)
	}
}

func TestSetupNeedsTableAndQueue(t *testing.T) {
	t.Setenv("ZOHOSYNC_TABLE", "")
	t.Setenv("ZOHOSYNC_EVENTS_QUEUE_URL", "")
	_, err := setup(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "ZOHOSYNC_TABLE") {
		t.Errorf("setup without env = %v", err)
	}
}

func TestBundledConfigBesideBinary(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(filepath.Dir(exe), "zohosync.yaml")
	if err := os.WriteFile(p, []byte("version: 1\n"), 0o600); err != nil {
		t.Skipf("cannot write beside the test binary: %v", err)
	}
	defer os.Remove(p)
	if got, err := bundledConfig(); err != nil || got != p {
		t.Errorf("bundledConfig = %q, %v; want %q", got, err, p)
	}
}
