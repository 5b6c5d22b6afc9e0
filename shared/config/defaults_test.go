package config

import (
	"strings"
	"testing"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const bareOrg = `version: 1
orgs:
  acme:
    client_id: env:ID
    client_secret: env:SECRET
%s
sources:
  s:
    org: acme
    verify: {scheme: none}
    routes:
      - {name: drop, ignore: true}
`

func TestApplyDefaults(t *testing.T) {
	full := map[string]string{
		EnvDataCenter: "eu", EnvEdition: "professional", EnvUsers: "12",
		EnvCreditShare: "0.5", EnvConcurrencyShare: "7",
	}
	tests := []struct {
		name    string
		extra   string
		env     map[string]string
		want    Org
		wantErr string
	}{
		{"all from env", "", full,
			Org{DataCenter: "eu", Edition: "professional", Users: 12, CreditShare: 0.5, ConcurrencyShare: 7}, ""},
		{"file wins", "    data_center: us\n    users: 3", full,
			Org{DataCenter: "us", Edition: "professional", Users: 3, CreditShare: 0.5, ConcurrencyShare: 7}, ""},
		{"missing env", "", map[string]string{EnvDataCenter: "eu"}, Org{},
			"x.yaml:3: orgs.acme.edition: not set in the file and ZOHOSYNC_DEFAULT_EDITION is empty"},
		{"bad env number", "", map[string]string{EnvDataCenter: "eu", EnvEdition: "free", EnvUsers: "many",
			EnvCreditShare: "1", EnvConcurrencyShare: "1"}, Org{},
			`orgs.acme.users: ZOHOSYNC_DEFAULT_USERS="many": strconv.Atoi`},
		{"env value invalid", "", map[string]string{EnvDataCenter: "moon", EnvEdition: "free", EnvUsers: "1",
			EnvCreditShare: "1", EnvConcurrencyShare: "9"}, Org{},
			`orgs.acme.data_center: "moon" is not one of`},
		{"env concurrency above edition", "", map[string]string{EnvDataCenter: "us", EnvEdition: "free", EnvUsers: "1",
			EnvCreditShare: "1", EnvConcurrencyShare: "9"}, Org{},
			`orgs.acme.concurrency_share: 9 exceeds the free edition's 5 concurrent calls`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(bareOrg, "%s\n", tt.extra+"\n", 1)
			cfg, err := Parse([]byte(src), "x.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = cfg.ApplyDefaults(envMap(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyDefaults: %v", err)
			}
			o := *cfg.Orgs["acme"]
			got := Org{DataCenter: o.DataCenter, Edition: o.Edition, Users: o.Users, CreditShare: o.CreditShare, ConcurrencyShare: o.ConcurrencyShare}
			if got != tt.want {
				t.Errorf("org = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseSecretRef(t *testing.T) {
	tests := []struct {
		in      string
		want    SecretRef
		wantErr bool
	}{
		{"env:STRIPE_SECRET", SecretRef{SecretEnv, "STRIPE_SECRET"}, false},
		{"ssm:/zohosync/stripe", SecretRef{SecretSSM, "/zohosync/stripe"}, false},
		{"secretsmanager:zohosync/stripe", SecretRef{SecretSecretsManager, "zohosync/stripe"}, false},
		{"secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:zs-AbC123", SecretRef{SecretSecretsManager, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:zs-AbC123"}, false},
		{"env:", SecretRef{}, true},
		{"env:1BAD", SecretRef{}, true},
		{"ssm:relative/path", SecretRef{}, true},
		{"ssm:/", SecretRef{}, true},
		{"secretsmanager:has space", SecretRef{}, true},
		{"secretsmanager:zohosync/zoho#client_secret", SecretRef{SecretSecretsManager, "zohosync/zoho#client_secret"}, false},
		{"secretsmanager:zohosync/zoho#bad key", SecretRef{}, true},
		{"secretsmanager:" + strings.Repeat("a", 513), SecretRef{}, true},
		{"vault:secret/x", SecretRef{}, true},
		{"plain-secret-value", SecretRef{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSecretRef(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestParseSecretRefDoesNotEchoSecrets(t *testing.T) {
	_, err := ParseSecretRef("whsec_live_0123456789abcdef")
	if err == nil || strings.Contains(err.Error(), "0123456789") {
		t.Errorf("err = %v: must not echo the value", err)
	}
}
