package faultrun

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zohosync/zohosync/infra/chaos/account"
	"github.com/zohosync/zohosync/infra/chaos/gen"
	"github.com/zohosync/zohosync/infra/chaos/scan"
	"github.com/zohosync/zohosync/shared/dynamo"
)

// modules are the Zoho modules the config writes.
var modules = []string{"Contacts", "Deals", "Leads", "Accounts"}

// deadLetters lists every dead letter of the org and writes each whole
// stored record (envelope, operation, Zoho's message and details) as a
// JSON line to a file, which the secret scan reads with the logs.
func (s *stage) deadLetters(ctx context.Context, dir string) ([]account.DeadLetter, string, error) {
	path := filepath.Join(dir, "dead-letters.jsonl")
	f, err := os.Create(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	var out []account.DeadLetter
	dls := s.rt.Table.DeadLetters()
	q := dynamo.Query{Org: org, Limit: dynamo.MaxPageSize}
	for {
		page, err := dls.List(ctx, q)
		if err != nil {
			return nil, "", err
		}
		for _, d := range page.Items {
			out = append(out, account.DeadLetter{EventID: d.EventID, Op: d.Op, Code: d.Code, Attempts: d.Attempts})
			rec, err := dls.Get(ctx, d.ID)
			if err != nil {
				return nil, "", err
			}
			b, err := json.Marshal(rec)
			if err != nil {
				return nil, "", fmt.Errorf("dead letter %s: %w", d.ID, err)
			}
			w.Write(append(b, '\n'))
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	if err := w.Flush(); err != nil {
		return nil, "", err
	}
	return out, path, nil
}

// books accounts for every event.
func books(ctx context.Context, o Options, s *stage, fl *fleet, events []*gen.Event) (*account.Report, string, error) {
	dls, path, err := s.deadLetters(ctx, o.Dir)
	if err != nil {
		return nil, "", err
	}
	records := map[string][]map[string]any{}
	for _, m := range modules {
		records[m] = s.sim.Records(m)
	}
	fl.mu.Lock()
	done := make(map[account.OpRef]bool, len(fl.done))
	for k, v := range fl.done {
		done[k] = v
	}
	fl.mu.Unlock()
	rep := account.Account(account.Inputs{Events: events, Records: records, DeadLetters: dls, Done: done,
		Wire: s.tap.Codes, MaxAttempts: o.Timing.Policy.MaxAttempts})
	return rep, path, nil
}

// scanLogs scans every captured log (the in-process functions', each
// worker's, the emulators' when the run started them) and the dead
// letters for every credential the run knows of.
func scanLogs(o Options, s *stage, fl *fleet, dlPath string) (scan.Result, error) {
	if err := s.fnLog.Sync(); err != nil {
		return scan.Result{}, err
	}
	emulators, _ := filepath.Glob(filepath.Join(o.Dir, "emulators", "*.log"))
	fl.mu.Lock()
	files := append(append([]string{s.fnLog.Name(), dlPath}, fl.logs...), emulators...)
	fl.mu.Unlock()
	return scan.Files(files, append(s.tap.Secrets(), s.secrets...))
}
