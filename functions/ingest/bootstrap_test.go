package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

const stripeSecret = "whsec_test_zohosync_fixture_secret_0001"

// rieBinary finds the pinned runtime interface emulator `make deps` installs.
func rieBinary(t *testing.T) string {
	t.Helper()
	p, _ := filepath.Abs("../../.bin/aws-lambda-rie")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("aws-lambda-rie missing at %s (make deps installs it)", p)
		}
		t.Skipf("aws-lambda-rie missing at %s: run make deps", p)
	}
	return p
}

// TestBootstrapUnderRIE builds the function as it is deployed (with the
// bundled config beside it), runs it under the runtime interface emulator
// against DynamoDB Local and fauxqs, and posts a signed Stripe delivery.
func TestBootstrapUnderRIE(t *testing.T) {
	rie := rieBinary(t)
	names := emutest.Provision(t)
	stack := emutest.Get(t)
	dir := t.TempDir()
	boot := filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", boot, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build bootstrap: %v\n%s", err, out)
	}
	cfg, err := os.ReadFile("../../config/zohosync.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "zohosync.yaml"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	fn, err := lambdaemu.StartRIE(context.Background(), lambdaemu.RIEConfig{
		RIE: rie, Bootstrap: boot, Name: "ingest", Timeout: 10 * time.Second, Log: &logs,
		Env: []string{
			"ZOHOSYNC_TABLE=" + names.Tables["StateTable"],
			"ZOHOSYNC_EVENTS_QUEUE_URL=" + names.QueueURLs["EventsQueue"],
			"ZOHOSYNC_CONFIG=bundled",
			"AWS_ENDPOINT_URL_DYNAMODB=" + stack.DynamoEndpoint,
			"AWS_ENDPOINT_URL_SQS=" + stack.SQSEndpoint,
			"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
			"STRIPE_SIGNING_SECRET=" + stripeSecret,
			"SHOPIFY_SIGNING_SECRET=s", "TYPEFORM_SIGNING_SECRET=t", "CALENDLY_SIGNING_SECRET=c",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer fn.Stop()
	defer func() {
		if t.Failed() {
			t.Logf("function output:\n%s", logs.String())
		}
	}()

	body, err := os.ReadFile("../../testdata/webhooks/stripe/customer.created.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		secret string
		want   int
	}{
		{"first delivery", stripeSecret, 202},
		{"redelivery", stripeSecret, 200},
		{"forged", "whsec_wrong", 401},
	}
	for _, c := range cases {
		resp := invoke(t, fn, stripeRequest(body, c.secret))
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d (%s), want %d", c.name, resp.StatusCode, resp.Body, c.want)
		}
	}
}

// stripeRequest is an HTTP API event carrying body, signed now with secret.
func stripeRequest(body []byte, secret string) events.APIGatewayV2HTTPRequest {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	req := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "POST /hooks/{source}", RawPath: "/hooks/stripe",
		PathParameters: map[string]string{"source": "stripe"},
		Headers: map[string]string{
			"content-type":     "application/json; charset=utf-8",
			"stripe-signature": "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil)),
		},
		Body: string(body),
	}
	req.RequestContext.HTTP.Method = "POST"
	return req
}

func invoke(t *testing.T, fn *lambdaemu.RIE, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	payload, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fn.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	return resp
}
