package zoho

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

// sampleWant is what replaying one sample body must give.
type sampleWant struct {
	call     func() *core.Call
	outcomes string // one letter per result: D done, R retry, X dead
	ids      []string
	actions  []string
	codes    []string // problem codes per result ("" for done)
	err      error    // a sentinel the error must match
	retry    bool     // for errors: Retryable
	errCode  string   // for errors: ProblemOf(err).Code
	credits  int
}

var samples = map[string]sampleWant{
	"200-SUCCESS-upsert-update-and-insert.json": {call: func() *core.Call { return upsertContacts(3) }, outcomes: "DDD",
		ids:     []string{"9000000000000200001", "9000000000000200009", "9000000000000200002"},
		actions: []string{"update", "insert", "update"}, codes: []string{"", "", ""}, credits: -1},
	"201-SUCCESS-insert-all.json": {call: func() *core.Call { return inserts(3) }, outcomes: "DDD",
		ids: []string{"9000000000000100001", "9000000000000100002", "9000000000000100003"}, codes: []string{"", "", ""}, credits: -1},
	"207-MULTI_STATUS-mixed.json": {call: func() *core.Call { return inserts(5) }, outcomes: "DXXXD",
		codes: []string{"", "INVALID_DATA", "MANDATORY_NOT_FOUND", "DUPLICATE_DATA", ""}, credits: -1},
	"200-composite-all-success.json": {call: func() *core.Call { return chain() }, outcomes: "DD",
		ids: []string{"9000000000000400001", "9000000000000500001"}, actions: []string{"insert", ""}, codes: []string{"", ""}, credits: 48231},
	"207-composite-mixed.json": {call: func() *core.Call { return chain() }, outcomes: "DX",
		codes: []string{"", "MANDATORY_NOT_FOUND"}, credits: 48231},
	"400-DUPLICATE_DATA-cross-module.json":        {call: func() *core.Call { return inserts(1) }, outcomes: "X", codes: []string{"DUPLICATE_DATA"}, credits: -1},
	"400-INVALID_DATA-datetime.json":              {call: func() *core.Call { return inserts(1) }, outcomes: "X", codes: []string{"INVALID_DATA"}, credits: -1},
	"400-INVALID_DATA-jsonarray-multiselect.json": {call: func() *core.Call { return inserts(1) }, outcomes: "X", codes: []string{"INVALID_DATA"}, credits: -1},
	"400-INVALID_DATA-maximum_length.json":        {call: func() *core.Call { return inserts(1) }, outcomes: "X", codes: []string{"INVALID_DATA"}, credits: -1},
	"400-MANDATORY_NOT_FOUND.json":                {call: func() *core.Call { return inserts(1) }, outcomes: "X", codes: []string{"MANDATORY_NOT_FOUND"}, credits: -1},
	"400-INVALID_MODULE.json":                     {call: func() *core.Call { return inserts(1) }, errCode: "INVALID_MODULE"},
	"400-INVALID_REQUEST_METHOD.json":             {call: func() *core.Call { return inserts(1) }, errCode: "INVALID_REQUEST_METHOD"},
	"400-LIMIT_EXCEEDED-over-100-records.json":    {call: func() *core.Call { return inserts(1) }, errCode: "LIMIT_EXCEEDED", err: ErrLimitExceeded},
	"401-INVALID_TOKEN.json":                      {call: func() *core.Call { return inserts(1) }, errCode: "INVALID_TOKEN", err: ErrInvalidToken, retry: true},
	"404-INVALID_URL_PATTERN.json":                {call: func() *core.Call { return inserts(1) }, errCode: "INVALID_URL_PATTERN"},
	"429-TOO_MANY_REQUESTS.json":                  {call: func() *core.Call { return inserts(1) }, errCode: "TOO_MANY_REQUESTS", err: ErrRateLimited, retry: true},
	// Token-endpoint bodies are not CRM answers: a 2xx without data is
	// unusable, a 400 without a code is a plain HTTP failure.
	"200-oauth-grant-success.json":   {call: func() *core.Call { return inserts(1) }, errCode: "UNUSABLE_RESPONSE", retry: true},
	"200-oauth-refresh-success.json": {call: func() *core.Call { return inserts(1) }, errCode: "UNUSABLE_RESPONSE", retry: true},
	"200-oauth-invalid_client.json":  {call: func() *core.Call { return inserts(1) }, errCode: "UNUSABLE_RESPONSE", retry: true},
	"200-oauth-invalid_code.json":    {call: func() *core.Call { return inserts(1) }, errCode: "UNUSABLE_RESPONSE", retry: true},
	"400-oauth-Access_Denied.json":   {call: func() *core.Call { return inserts(1) }, errCode: "HTTP_400"},
}

// TestSamples replays every body in testdata/zoho with the status its name
// starts with.
func TestSamples(t *testing.T) {
	dir := repoPath(t, "testdata/zoho")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			want, ok := samples[name]
			if !ok {
				t.Fatalf("no expectation for sample %s", name)
			}
			status, _ := strconv.Atoi(strings.SplitN(name, "-", 2)[0])
			f := &fakeZoho{status: status, body: repoFile(t, "testdata/zoho/"+name)}
			c, tok := serve(t, f)
			call := want.call()
			rep, err := c.Do(context.Background(), tok, call)
			if want.errCode != "" {
				checkSampleErr(t, err, want)
				return
			}
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			checkSampleReport(t, call, rep, want, status)
		})
	}
}

func checkSampleErr(t *testing.T, err error, want sampleWant) {
	t.Helper()
	if err == nil {
		t.Fatal("Do succeeded, want an error")
	}
	if got := ProblemOf(err).Code; got != want.errCode {
		t.Errorf("problem code = %s, want %s", got, want.errCode)
	}
	if want.err != nil && !errors.Is(err, want.err) {
		t.Errorf("err = %v, want errors.Is %v", err, want.err)
	}
	if Retryable(err) != want.retry {
		t.Errorf("Retryable = %v, want %v", Retryable(err), want.retry)
	}
}

func checkSampleReport(t *testing.T, call *core.Call, rep *core.CallReport, want sampleWant, status int) {
	t.Helper()
	if rep.Status != status || rep.CreditsRemaining != want.credits {
		t.Errorf("status, credits = %d, %d; want %d, %d", rep.Status, rep.CreditsRemaining, status, want.credits)
	}
	ops := call.Operations()
	if len(rep.Results) != len(want.outcomes) {
		t.Fatalf("%d results, want %d", len(rep.Results), len(want.outcomes))
	}
	for i, r := range rep.Results {
		letter := map[core.Outcome]byte{core.Done: 'D', core.Retry: 'R', core.Dead: 'X'}[r.Outcome]
		if letter != want.outcomes[i] || r.Op != ops[i] {
			t.Errorf("result %d: outcome %c, want %c (or wrong op)", i, letter, want.outcomes[i])
		}
		code := ""
		if r.Problem != nil {
			code = r.Problem.Code
			if !json.Valid(r.Problem.Details) || r.Problem.Message == "" {
				t.Errorf("result %d: problem lacks message or details: %+v", i, r.Problem)
			}
		}
		if code != want.codes[i] {
			t.Errorf("result %d: code %q, want %q", i, code, want.codes[i])
		}
		if want.ids != nil && r.RecordID != want.ids[i] {
			t.Errorf("result %d: id %q, want %q", i, r.RecordID, want.ids[i])
		}
		if want.actions != nil && r.ZohoAction != want.actions[i] {
			t.Errorf("result %d: action %q, want %q", i, r.ZohoAction, want.actions[i])
		}
	}
}
