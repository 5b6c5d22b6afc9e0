package faultrun

import (
	"bufio"
	"context"
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

// deadLetters lists every dead letter of the org and writes their
// summaries to a file, which the secret scan reads with the logs.
func (s *stage) deadLetters(ctx context.Context, dir string) ([]account.DeadLetter, string, error) {
	path := filepath.Join(dir, "dead-letters.txt")
	f, err := os.Create(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	var out []account.DeadLetter
	q := dynamo.Query{Org: org, Limit: dynamo.MaxPageSize}
	for {
		page, err := s.rt.Table.DeadLetters().List(ctx, q)
		if err != nil {
			return nil, "", err
		}
		for _, d := range page.Items {
			out = append(out, account.DeadLetter{EventID: d.EventID, Op: d.Op, Code: d.Code, Attempts: d.Attempts})
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", d.Source, d.EventID, d.Op, d.Code, d.Attempts, d.Message)
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

// scanLogs scans every captured log, and the dead letters' summaries, for
// every credential the run knows of.
func scanLogs(s *stage, fl *fleet, dlPath string) (scan.Result, error) {
	if err := s.fnLog.Sync(); err != nil {
		return scan.Result{}, err
	}
	fl.mu.Lock()
	files := append([]string{s.fnLog.Name(), dlPath}, fl.logs...)
	fl.mu.Unlock()
	return scan.Files(files, append(s.tap.Secrets(), s.secrets...))
}
