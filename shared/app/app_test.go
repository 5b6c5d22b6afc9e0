package app

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/ledger"
	"github.com/zohosync/zohosync/shared/syncer"
	"github.com/zohosync/zohosync/shared/zoho"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestEnvAWSConfig(t *testing.T) {
	cfg, err := EnvAWSConfig(env(map[string]string{"AWS_DEFAULT_REGION": "eu-west-1",
		"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "tok"}))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || cfg.Region != "eu-west-1" || creds.AccessKeyID != "AKID" || creds.SessionToken != "tok" {
		t.Errorf("config region %q creds %+v err %v", cfg.Region, creds, err)
	}
	if cfg.Retryer == nil || cfg.HTTPClient == nil {
		t.Errorf("retryer or HTTP client missing")
	}
	for _, bad := range []map[string]string{
		{"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"},
		{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "a"},
	} {
		if _, err := EnvAWSConfig(env(bad)); err == nil {
			t.Errorf("EnvAWSConfig(%v) succeeded, want an error", bad)
		}
	}
}

func TestEndpointFor(t *testing.T) {
	e := map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:2"}
	if got := endpointFor(env(e), "SQS"); got != "http://127.0.0.1:2" {
		t.Errorf("SQS endpoint %q", got)
	}
	if got := endpointFor(env(e), "DYNAMODB"); got != "http://127.0.0.1:1" {
		t.Errorf("DynamoDB endpoint %q, want the general override", got)
	}
	e["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
	if got := endpointFor(env(e), "SQS"); got != "" {
		t.Errorf("ignored overrides still give %q", got)
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		err  error
		want syncer.Kind
		code string
	}{
		{&zoho.APIError{Status: 401, Code: "INVALID_TOKEN"}, syncer.Unauthorized, "INVALID_TOKEN"},
		{&zoho.APIError{Status: 429, Code: "TOO_MANY_REQUESTS"}, syncer.Throttled, "TOO_MANY_REQUESTS"},
		{&zoho.APIError{Status: 400, Code: "LIMIT_EXCEEDED"}, syncer.TooLarge, "LIMIT_EXCEEDED"},
		{&zoho.APIError{Status: 500, Code: "INTERNAL_ERROR"}, syncer.Transient, "INTERNAL_ERROR"},
		{&zoho.TransportError{Op: "upsert", Timeout: true, Sent: true, Err: context.DeadlineExceeded}, syncer.Transient, "TIMEOUT"},
		{&zoho.APIError{Status: 400, Code: "INVALID_MODULE"}, syncer.Permanent, "INVALID_MODULE"},
		{&zoho.APIError{Status: 403, Code: "NO_PERMISSION"}, syncer.Permanent, "NO_PERMISSION"},
		{errors.New("something else"), syncer.Permanent, "CLIENT_ERROR"},
	}
	for _, c := range cases {
		kind, p := Classify(c.err)
		if kind != c.want || p.Code != c.code {
			t.Errorf("Classify(%v) = %v %s, want %v %s", c.err, kind, p.Code, c.want, c.code)
		}
	}
}

func TestPlannerUsesOrgLimitsAndReportsRejections(t *testing.T) {
	p := Planner{Limits: map[string]ledger.Limits{"acme": {Concurrency: 10, Sub: 10}}}
	ops := []*core.Operation{
		{ID: "c", Org: "acme", Module: "Contacts", Action: core.Upsert, Match: []string{"Email"},
			Fields: map[string]any{"Email": "a@example.com"}, Sources: []core.Source{{MessageID: "m1", Op: "c", EventID: "e1"}}},
		{ID: "u", Org: "acme", Module: "Contacts", Action: core.Update,
			Fields: map[string]any{"Email": "b@example.com"}, Sources: []core.Source{{MessageID: "m2", Op: "u", EventID: "e2"}}},
	}
	stages, rej, err := p.Plan("acme", ops)
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 1 || len(stages[0]) != 1 || len(rej) != 1 || rej[0].Op.ID != "u" {
		t.Fatalf("stages %v rejected %v; want one call and the update without record id rejected", stages, rej)
	}
	if cr, units, sub := p.Cost(stages[0][0]); cr != 1 || units != 1 || sub != 0 {
		t.Errorf("cost %d/%d/%d, want 1 credit, 1 unit, no sub slot", cr, units, sub)
	}
}

func TestZohoHTTPClientKeepsConnections(t *testing.T) {
	tr := zohoHTTPClient().Transport.(*http.Transport)
	if tr.MaxIdleConnsPerHost < 25 {
		t.Errorf("MaxIdleConnsPerHost %d below the largest concurrency share", tr.MaxIdleConnsPerHost)
	}
}
