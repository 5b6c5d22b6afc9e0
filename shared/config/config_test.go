package config

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadValid(t *testing.T) {
	cfg, err := Load("testdata/valid.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := cfg.Sources["stripe"].Verify.Tolerance, 5*time.Minute; got != want {
		t.Errorf("tolerance = %v, want %v", got, want)
	}
	if got := cfg.Sources["stripe"].Name; got != "stripe" {
		t.Errorf("source name = %q, want stripe", got)
	}
	if got := cfg.Orgs["acme"].Name; got != "acme" {
		t.Errorf("org name = %q, want acme", got)
	}
	op := cfg.Sources["stripe"].Routes[0].Ops[0]
	if op.Trigger == nil || len(*op.Trigger) != 0 {
		t.Errorf("trigger = %v, want an explicit empty list", op.Trigger)
	}
	if got := op.Fields["Email"].Expr; got != "data.object.email" {
		t.Errorf("shorthand field expr = %q", got)
	}
	deal := cfg.Sources["stripe"].Routes[1].Ops[1]
	if got := deal.Fields["Contact_Name"].Ref; got != "buyer" {
		t.Errorf("ref = %q, want buyer", got)
	}
	if got := cfg.Sources["stripe"].Routes[1].Ops[0].Fields["Last_Name"].EmptyPolicy(); got != IfEmptyFail {
		t.Errorf("if_empty = %q, want fail", got)
	}
	if got := cfg.Sources["hook"].BodyLimit(); got != DefaultMaxBody {
		t.Errorf("BodyLimit = %d, want %d", got, DefaultMaxBody)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/does-not-exist.yaml")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want a not-exist error", err)
	}
}

// edit applies one textual replacement to the valid file.
func edit(t *testing.T, old, new string) []byte {
	t.Helper()
	src := string(mustRead(t, "testdata/valid.yaml"))
	if !strings.Contains(src, old) {
		t.Fatalf("valid.yaml lacks %q", old)
	}
	return []byte(strings.Replace(src, old, new, 1))
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           string // one full line of the error text
	}{
		{"bad action", "action: insert", "action: upsrt",
			`x.yaml:47: sources.stripe.routes[1].ops[1].action: "upsrt" is not insert, update or upsert`},
		{"unknown key", "    users: 40", "    user: 40",
			`x.yaml:6: orgs.acme.user: unknown field`},
		{"wrong type", "users: 40", "users: forty",
			"x.yaml:6: orgs.acme.users: cannot unmarshal !!str `forty` into int"},
		{"bad duration", "tolerance: 5m", "tolerance: 5 minutes",
			`x.yaml:20: sources.stripe.verify.tolerance: `},
		{"upsert without match", "            match: [Email]\n            trigger: []", "            trigger: []",
			`x.yaml:27: sources.stripe.routes[0].ops[0].match: an upsert needs match fields`},
		{"match not a field", "match: [Email]\n            trigger", "match: [Mail]\n            trigger",
			`sources.stripe.routes[0].ops[0].match[0]: match field "Mail" is not among the op's fields`},
		{"update without record id", "            record_id: crm_id\n", "",
			`sources.hook.routes[0].ops[0].record_id: update needs record_id`},
		{"record id on insert", "action: insert", "action: insert\n            record_id: x",
			`sources.stripe.routes[1].ops[1].record_id: record_id is for update`},
		{"forward ref", "{ ref: buyer }", "{ ref: later }",
			`Contact_Name.ref: "later" is not an earlier op of this route`},
		{"self ref", "{ ref: buyer }", "{ ref: deal }",
			`Contact_Name.ref: op "deal" cannot refer to itself`},
		{"ref and expr", "{ ref: buyer }", "{ ref: buyer, expr: x }",
			`Contact_Name: set expr or ref, not both`},
		{"bad if_empty", "if_empty: fail", "if_empty: blank",
			`Last_Name.if_empty: "blank" is not omit, null or fail`},
		{"bad secret ref", "env:STRIPE_SIGNING_SECRET", "whsec_live_abcdef",
			`sources.stripe.verify.secrets[0]: "whse…" is not a secret reference`},
		{"bad ssm ref", "ssm:/zohosync/acme/client-secret", "ssm:zohosync",
			`orgs.acme.client_secret: ssm:zohosync: want an absolute parameter path`},
		{"bad env ref", "env:ZOHO_CLIENT_ID", "env:ZOHO-CLIENT",
			`orgs.acme.client_id: env:ZOHO-CLIENT: not an environment variable name`},
		{"unknown scheme", "scheme: stripe", "scheme: github",
			`sources.stripe.verify.scheme: "github" is not one of`},
		{"implicit none", "      scheme: stripe\n", "",
			`sources.stripe.verify.scheme: scheme is required (write none`},
		{"none with secret", "scheme: stripe", "scheme: none",
			`sources.stripe.verify.secrets: scheme none takes no secrets`},
		{"tolerance on untimed scheme", "scheme: stripe", "scheme: shopify",
			`sources.stripe.verify.tolerance: scheme shopify signs no timestamp`},
		{"hmac field on stripe", "      tolerance: 5m\n", "      tolerance: 5m\n      header: X-Sig\n",
			`sources.stripe.verify.header: only the hmac and shared_secret schemes use header`},
		{"template without timestamp header", "      timestamp_header: X-Timestamp\n", "",
			`sources.hook.verify.signed_template: uses {timestamp} but timestamp_header is not set`},
		{"bad algorithm", "algorithm: sha256", "algorithm: md5",
			`sources.hook.verify.algorithm: "md5" is not sha256, sha1 or sha512`},
		{"event id both", "      header: X-Event-Id", "      header: X-Event-Id\n      expr: id",
			`sources.hook.event_id: set header or expr, not both`},
		{"bad expression", "when: type == 'customer.created'", "when: type == ",
			`sources.stripe.routes[0].when: expression "type =="`},
		{"unknown function", "Email: data.object.email", "Email: emial(data.object.email)",
			`x.yaml:33: sources.stripe.routes[0].ops[0].fields.Email.expr: expression "emial(data.object.email)": unknown function emial()`},
		{"unknown picklist", "Stage: \"'Closed Won'\"", "Stage: picklist(x, 'stages')",
			`no picklist named "stages"`},
		{"unknown variable", "when: type == 'customer.created'", "when: $body.type == 'x'",
			`unknown variable $body`},
		{"bad content type", "  stripe:\n    org: acme", "  stripe:\n    content_types: [text]\n    org: acme",
			`sources.stripe.content_types[0]: "text" is not a media type`},
		{"unknown org", "  hook:\n    org: acme", "  hook:\n    org: umbrella",
			`sources.hook.org: org "umbrella" is not defined under orgs`},
		{"bad data centre", "data_center: eu", "data_center: mars",
			`orgs.acme.data_center: "mars" is not one of us, eu`},
		{"concurrency above edition", "concurrency_share: 10", "concurrency_share: 30",
			`orgs.acme.concurrency_share: 30 exceeds the enterprise edition's 20 concurrent calls`},
		{"credit share above one", "credit_share: 0.8", "credit_share: 1.5",
			`orgs.acme.credit_share: 1.5 is outside (0, 1]`},
		{"http accounts url", "    client_secret:", "    accounts_url: http://accounts.example.com\n    client_secret:",
			`orgs.acme.accounts_url: "http://accounts.example.com": plain http is allowed only on loopback`},
		{"duplicate op id", "- id: buyer", "- id: contact",
			`op id "contact" is already used by route "customer"`},
		{"duplicate route", "name: checkout", "name: customer",
			`route "customer" is defined twice`},
		{"ignore with ops", "- name: checkout\n", "- name: checkout\n        ignore: true\n",
			`sources.stripe.routes[1].ops: an ignore route has no ops`},
		{"deal without stage", "              Stage: \"'Closed Won'\"\n", "",
			`sources.stripe.routes[1].ops[1].fields: Deals needs Stage when it may create a record (insert)`},
		{"upsert of tasks", "module: Leads\n            action: update\n            record_id: crm_id", "module: Tasks\n            action: upsert\n            match: [Description]",
			`Zoho cannot upsert Tasks; use insert`},
		{"bad trigger", "trigger: []", "trigger: [workflows]",
			`trigger[0]: "workflows" is not workflow, approval`},
		{"version", "version: 1", "version: 2", `x.yaml:1: version: version 2 is not supported`},
		{"bad yaml", "orgs:\n", "orgs:\n  - [\n", `x.yaml:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(edit(t, tt.old, tt.new), "x.yaml")
			if err == nil {
				t.Fatalf("Parse succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Errorf("error %T does not unwrap to *FieldError", err)
			}
		})
	}
}
