package zoho

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

// fuzzDecode runs the response decoder on one answer to call and checks
// the invariants every answer must keep: no panic, and either an error or
// exactly one well-formed result per operation.
func fuzzDecode(t *testing.T, call *core.Call, status int, body []byte) {
	c, err := NewClient(http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	req, err := c.encode(call)
	if err != nil {
		t.Fatal(err)
	}
	ops := call.Operations()
	rep := &core.CallReport{Results: make([]core.Result, len(ops)), CreditsRemaining: -1}
	for i, op := range ops {
		rep.Results[i].Op = op
	}
	if err := c.decode(call, req, status, body, rep); err != nil {
		if err.Error() == "" || ProblemOf(err).Code == "" {
			t.Fatalf("error without text or code: %#v", err)
		}
		return
	}
	for i, r := range rep.Results {
		if r.Op != ops[i] {
			t.Fatalf("result %d belongs to another operation", i)
		}
		switch r.Outcome {
		case core.Done:
			if r.RecordID == "" || r.Problem != nil {
				t.Fatalf("result %d done without id or with a problem", i)
			}
		case core.Retry, core.Dead:
			if r.Problem == nil || r.Problem.Code == "" {
				t.Fatalf("result %d failed without a problem code", i)
			}
		default:
			t.Fatalf("result %d: outcome %d", i, r.Outcome)
		}
	}
	if rep.CreditsRemaining < -1 {
		t.Fatalf("credits %d", rep.CreditsRemaining)
	}
}

// addSamples seeds f with every sample body, by the status in its name.
func addSamples(f *testing.F, composite bool) {
	dir := repoPath(f, "testdata/zoho")
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), "composite") != composite {
			continue
		}
		status, _ := strconv.Atoi(strings.SplitN(e.Name(), "-", 2)[0])
		f.Add(status, repoFile(f, "testdata/zoho/"+e.Name()))
	}
}

func FuzzParseBatch(f *testing.F) {
	addSamples(f, false)
	f.Add(204, []byte(""))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		for _, n := range []int{1, 3, 5} {
			fuzzDecode(t, upsertContacts(n), status, body)
		}
	})
}

func FuzzParseComposite(f *testing.F) {
	addSamples(f, true)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		fuzzDecode(t, chain(), status, body)
	})
}
