package zohosim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfig(t *testing.T) {
	yml := `
edition: professional
users: 12
data_centers: [eu]
listen: {eu: "127.0.0.1:0"}
access_token_ttl: 30m
clients:
  - {dc: eu, client_id: local, client_secret: local-secret, refresh_token: 1000.local.refresh}
latency:
  write: {kind: lognormal, median: 80ms, p99: 900ms}
faults:
  - {endpoint: upsert, action: status, status: 429, count: 3}
  - {action: hang, delay: 2s, commit: true}
unconfirmed: {accept_bearer: true, access_denied_status: 400}
`
	cfg, err := LoadConfig(writeFile(t, "sim.yaml", yml))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	if cfg.Edition != "professional" || cfg.Users != 12 || cfg.AccessTokenTTL != 30*time.Minute {
		t.Errorf("cfg = %+v", cfg)
	}
	if cfg.Latency.Write.P99 != 900*time.Millisecond || len(cfg.Faults) != 2 || cfg.Faults[1].Delay != 2*time.Second {
		t.Errorf("latency %+v faults %+v", cfg.Latency, cfg.Faults)
	}
	sim := mustNew(t, cfg)
	if !sim.tokens.hasClient("eu", "local") || len(sim.Faults()) != 2 || !sim.cfg.Unconfirmed.AcceptBearer {
		t.Error("seeded client, faults or settings missing")
	}
	jsonCfg, err := LoadConfig(writeFile(t, "sim.json", `{"edition":"free","grant_code_ttl":"5m"}`))
	if err != nil || jsonCfg.GrantCodeTTL != 5*time.Minute {
		t.Errorf("json config = %+v, %v", jsonCfg, err)
	}
}

func TestConfigErrors(t *testing.T) {
	files := map[string]string{
		"unknown key":     "editon: free\n",
		"bad duration":    "access_token_ttl: soon\n",
		"bad fault":       "faults: [{action: melt}]\n",
		"unknown edition": "edition: platinum\n",
		"non-loopback":    "listen: {us: \"0.0.0.0:9090\"}\n",
		"unknown dc":      "data_centers: [mars]\n",
		"bad key setting": "unconfirmed: {concurrency_key: user}\n",
	}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			cfg, err := LoadConfig(writeFile(t, "sim.yaml", content))
			if err == nil {
				_, err = New(cfg)
			}
			if err == nil {
				t.Error("accepted")
			}
		})
	}
}

func TestSchemaFiles(t *testing.T) {
	sim := mustNew(t, Config{SchemaFiles: []string{filepath.Join("testdata", "custom-fields.json")}, Pipeline: true})
	if f := sim.schema.modules["Contacts"].byName["Stripe_Customer_ID"]; f == nil || !f.Unique {
		t.Error("custom unique field missing")
	}
	if f := sim.schema.modules["Deals"].byName["Pipeline"]; f == nil || !f.Mandatory {
		t.Error("Pipeline not mandatory with Config.Pipeline")
	}
	if sim.schema.modules["Subscriptions"].dupCheck != "Name" {
		t.Error("custom module's duplicate-check field is not Name")
	}
	std := mustNew(t, Config{})
	for mod, want := range map[string]string{"Leads": "Email", "Contacts": "Email", "Accounts": "Account_Name", "Deals": "Deal_Name"} {
		m := std.schema.modules[mod]
		if m == nil || m.dupCheck != want {
			t.Errorf("%s: duplicate-check field %v, want %s", mod, m, want)
		}
	}
	if std.schema.modules["Deals"].byName["Pipeline"] != nil {
		t.Error("Pipeline present by default")
	}
	bad := map[string]string{
		"unknown type":      `{"modules":{"Leads":{"fields":[{"api_name":"X","data_type":"blob"}]}}}`,
		"lookup nowhere":    `{"modules":{"Leads":{"fields":[{"api_name":"X","data_type":"lookup","lookup_module":"Nope"}]}}}`,
		"picklist no value": `{"modules":{"Leads":{"fields":[{"api_name":"X","data_type":"picklist"}]}}}`,
		"bad dup field":     `{"modules":{"Things":{"dup_check_field":"Nope","fields":[{"api_name":"X","data_type":"text"}]}}}`,
		"unknown key":       `{"modules":{"Leads":{"fields":[{"api_name":"X","data_type":"text","size":3}]}}}`,
	}
	for name, content := range bad {
		if _, err := New(Config{SchemaFiles: []string{writeFile(t, "s.json", content)}}); err == nil || !strings.Contains(err.Error(), "schema") {
			t.Errorf("%s: err = %v, want a schema error", name, err)
		}
	}
}
