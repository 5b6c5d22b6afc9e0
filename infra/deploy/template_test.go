package deploy

import (
	"github.com/zohosync/zohosync/infra/local/emu"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// functions maps each function's logical id to its role and build target.
var functions = map[string]string{
	"IngestFunction":  "IngestRole",
	"SyncFunction":    "SyncRole",
	"RefreshFunction": "RefreshRole",
	"AdminFunction":   "AdminRole",
}

// root is the repository root (the folder with go.mod).
func root(t *testing.T) string {
	t.Helper()
	dir, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func mustLoad(t *testing.T) *Template {
	t.Helper()
	tpl, err := Load(filepath.Join(root(t), "template.yaml"))
	if err != nil {
		t.Fatalf("load template: %v", err)
	}
	return tpl
}

func TestFunctionsRuntimeAndBuild(t *testing.T) {
	tpl := mustLoad(t)
	g := Get(tpl.Raw, "Globals", "Function")
	makefile, err := os.ReadFile(filepath.Join(root(t), "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	for id, role := range functions {
		t.Run(id, func(t *testing.T) {
			fn := Get(tpl.Raw, "Resources", id)
			if got := Text(Get(fn, "Type")); got != "AWS::Serverless::Function" {
				t.Fatalf("Type = %q, want AWS::Serverless::Function", got)
			}
			prop := func(name string) *Node {
				if v := Get(fn, "Properties", name); v != nil {
					return v
				}
				return Get(g, name)
			}
			for name, want := range map[string]string{
				"Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": "arm64",
				"Role": "getatt:" + role + ".Arn",
			} {
				if got := Text(prop(name)); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if got := Text(Get(fn, "Metadata", "BuildMethod")); got != "makefile" {
				t.Errorf("Metadata.BuildMethod = %q, want makefile", got)
			}
			target := regexp.MustCompile(`(?m)^build-` + id + `:`)
			if !target.Match(makefile) {
				t.Errorf("Makefile has no build-%s target (sam build calls it)", id)
			}
			if got := Text(Get(fn, "Properties", "LoggingConfig", "LogFormat")); got != "JSON" {
				t.Errorf("LoggingConfig.LogFormat = %q, want JSON", got)
			}
			f, err := tpl.Typed.GetServerlessFunctionWithName(id)
			if err != nil {
				t.Fatalf("goformation: %v", err)
			}
			if f.Timeout == nil || *f.Timeout <= 0 {
				t.Errorf("Timeout not set on the function")
			}
			for name, ev := range f.Events {
				if ev.Type != "SQS" && ev.Properties == nil {
					t.Errorf("event %s (%s): properties unreadable (misspelled property?)", name, ev.Type)
				}
			}
		})
	}
}

func TestSyncEventSource(t *testing.T) {
	tpl := mustLoad(t)
	ev := Get(tpl.Raw, "Resources", "SyncFunction", "Properties", "Events", "Queue")
	want := map[string]string{
		"Type":                             "SQS",
		"Properties.Queue":                 "getatt:EventsQueue.Arn",
		"Properties.FunctionResponseTypes": "ReportBatchItemFailures",
		"Properties.BatchSize":             "ref:SyncBatchSize",
		"Properties.MaximumBatchingWindowInSeconds":   "ref:SyncBatchingWindow",
		"Properties.ScalingConfig.MaximumConcurrency": "ref:SyncMaxConcurrency",
	}
	for path, w := range want {
		if got := Text(Get(ev, strings.Split(path, ".")...)); got != w {
			t.Errorf("sync event %s = %q, want %q", path, got, w)
		}
	}
	allowed := map[string]bool{"Queue": true, "BatchSize": true, "MaximumBatchingWindowInSeconds": true,
		"FunctionResponseTypes": true, "ScalingConfig": true, "Enabled": true, "FilterCriteria": true}
	for _, k := range Keys(Get(ev, "Properties")) {
		if !allowed[k] {
			t.Errorf("sync event has unexpected property %q (misspelled?)", k)
		}
	}
}

func TestVisibilityTimeoutRule(t *testing.T) {
	tpl := mustLoad(t)
	fn, err := tpl.Typed.GetServerlessFunctionWithName("SyncFunction")
	if err != nil {
		t.Fatal(err)
	}
	q, err := tpl.Typed.GetSQSQueueWithName("EventsQueue")
	if err != nil {
		t.Fatal(err)
	}
	if fn.Timeout == nil || q.VisibilityTimeout == nil {
		t.Fatalf("sync Timeout or queue VisibilityTimeout missing")
	}
	if got, min := *q.VisibilityTimeout, 6**fn.Timeout; got < min {
		t.Errorf("EventsQueue VisibilityTimeout = %d, want >= 6 x sync Timeout = %d", got, min)
	}
	rp, ok := q.RedrivePolicy.(map[string]any)
	if !ok {
		t.Fatalf("RedrivePolicy = %#v, want a map", q.RedrivePolicy)
	}
	if got := rp["deadLetterTargetArn"]; got != "getatt:EventsDLQ.Arn" {
		t.Errorf("deadLetterTargetArn = %v, want getatt:EventsDLQ.Arn", got)
	}
	if _, ok := rp["maxReceiveCount"]; !ok || len(rp) != 2 {
		t.Errorf("RedrivePolicy keys = %v, want exactly deadLetterTargetArn and maxReceiveCount", rp)
	}
}

func TestStateTableProtection(t *testing.T) {
	tpl := mustLoad(t)
	tab, err := tpl.Typed.GetDynamoDBTableWithName("StateTable")
	if err != nil {
		t.Fatal(err)
	}
	if tab.BillingMode == nil || *tab.BillingMode != "PAY_PER_REQUEST" {
		t.Errorf("BillingMode = %v, want PAY_PER_REQUEST", tab.BillingMode)
	}
	ttl := tab.TimeToLiveSpecification
	if ttl == nil || ttl.AttributeName == nil || *ttl.AttributeName != "expires_at" || !ttl.Enabled {
		t.Errorf("TTL = %+v, want enabled on expires_at", ttl)
	}
	pitr := tab.PointInTimeRecoverySpecification
	if pitr == nil || pitr.PointInTimeRecoveryEnabled == nil || !*pitr.PointInTimeRecoveryEnabled {
		t.Errorf("point-in-time recovery is off")
	}
	sse := tab.SSESpecification
	if sse == nil || !sse.SSEEnabled || sse.SSEType == nil || *sse.SSEType != "KMS" ||
		sse.KMSMasterKeyId == nil || *sse.KMSMasterKeyId != "ref:StateKey" {
		t.Errorf("SSESpecification = %+v, want KMS with ref:StateKey", sse)
	}
	if tab.AWSCloudFormationDeletionPolicy != "Retain" {
		t.Errorf("DeletionPolicy = %q, want Retain", tab.AWSCloudFormationDeletionPolicy)
	}
	key, err := tpl.Typed.GetKMSKeyWithName("StateKey")
	if err != nil {
		t.Fatal(err)
	}
	if key.EnableKeyRotation == nil || !*key.EnableKeyRotation {
		t.Errorf("StateKey rotation is off")
	}
}

func TestFrontDoorChoices(t *testing.T) {
	tpl := mustLoad(t)
	cond := func(id string) string { return Text(Get(tpl.Raw, "Resources", id, "Condition")) }
	for id, want := range map[string]string{
		"WebhookApi": "UseHttpApi", "WebhookIntegration": "UseHttpApi", "WebhookRoute": "UseHttpApi",
		"WebhookStage": "UseHttpApi", "WebhookApiInvoke": "UseHttpApi",
		"IngestUrl": "UseFunctionUrl", "IngestUrlInvokeUrl": "UseFunctionUrl", "IngestUrlInvokeFunction": "UseFunctionUrl",
	} {
		if got := cond(id); got != want {
			t.Errorf("%s Condition = %q, want %q", id, got, want)
		}
	}
	route, err := tpl.Typed.GetApiGatewayV2RouteWithName("WebhookRoute")
	if err != nil {
		t.Fatal(err)
	}
	if route.RouteKey != "POST /hooks/{source}" {
		t.Errorf("RouteKey = %q, want POST /hooks/{source}", route.RouteKey)
	}
	integ, err := tpl.Typed.GetApiGatewayV2IntegrationWithName("WebhookIntegration")
	if err != nil {
		t.Fatal(err)
	}
	if integ.PayloadFormatVersion == nil || *integ.PayloadFormatVersion != "2.0" {
		t.Errorf("PayloadFormatVersion = %v, want 2.0 (events/ and the local front door use v2)", integ.PayloadFormatVersion)
	}
	if got := Text(Get(tpl.Raw, "Resources", "IngestUrlInvokeFunction", "Properties", "InvokedViaFunctionUrl")); got != "true" {
		t.Errorf("IngestUrlInvokeFunction.InvokedViaFunctionUrl = %q, want true", got)
	}
	for _, out := range []string{"WebhookBaseUrl", "StateTableName", "EventsQueueName", "AdminFunctionName"} {
		if _, ok := tpl.Typed.Outputs[out]; !ok {
			t.Errorf("output %s missing", out)
		}
	}
}

func TestRefreshSchedule(t *testing.T) {
	tpl := mustLoad(t)
	ev := Get(tpl.Raw, "Resources", "RefreshFunction", "Properties", "Events", "Every")
	if got := Text(Get(ev, "Type")); got != "Schedule" {
		t.Errorf("refresh event Type = %q, want Schedule (events/refresh-schedule.json has its shape)", got)
	}
	if got := Text(Get(tpl.Raw, "Parameters", "RefreshSchedule", "Default")); !strings.HasPrefix(got, "rate(") {
		t.Errorf("RefreshSchedule default = %q, want a rate()", got)
	}
}
