package zohosim

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// writeOp is one insert, update or upsert call, from HTTP or from a
// composite sub-request.
type writeOp struct {
	kind         string // insert, update, upsert
	mod          *module
	version      int
	pathID       string // PUT /{module}/{id}
	body         map[string]any
	maxRecords   int
	ifUnmodified time.Time // zero: no If-Unmodified-Since
	dc           string
	journal      *journal // composite rollback; nil outside composites
}

// writeOutcome is a served write, ready to be sent.
type writeOutcome struct {
	status          int
	body            any
	records, failed int
	results         map[string]int
}

var triggerValues = []string{"workflow", "approval", "blueprint", "pathfinder", "orchestration"}

const maxRecordsPerCall = 100

// prepareWrite checks the request-level keys of a write body and returns its
// records and the upsert match order.
func (s *Sim) prepareWrite(op *writeOp) ([]any, []string, *apiError) {
	data, err := dataArray(op.body, op.maxRecords)
	if err != nil {
		return nil, nil, err
	}
	if op.pathID != "" && len(data) > 1 {
		return nil, nil, errSubRecordLimit(1)
	}
	if err := checkTrigger(op.body["trigger"]); err != nil {
		return nil, nil, err
	}
	var dcf []string
	if op.kind == "upsert" {
		if dcf, err = checkMatchFields(op.mod, op.body["duplicate_check_fields"]); err != nil {
			return nil, nil, err
		}
	}
	return data, dcf, nil
}

func dataArray(body map[string]any, limit int) ([]any, *apiError) {
	raw, ok := body["data"]
	if !ok || raw == nil {
		return nil, errMandatoryKey("data", "$.data")
	}
	data, ok := raw.([]any)
	switch {
	case !ok:
		return nil, errInvalidKey("data", "$.data", map[string]any{"expected_data_type": "jsonarray"})
	case len(data) == 0:
		return nil, errMandatoryKey("data", "$.data")
	case len(data) > limit && limit < maxRecordsPerCall:
		return nil, errSubRecordLimit(limit)
	case len(data) > limit:
		return nil, errRecordLimit(limit)
	}
	return data, nil
}

func checkTrigger(raw any) *apiError {
	if raw == nil {
		return nil
	}
	arr, ok := raw.([]any)
	if !ok {
		return errInvalidKey("trigger", "$.trigger", map[string]any{"expected_data_type": "jsonarray"})
	}
	for i, v := range arr {
		if s, ok := v.(string); !ok || !slices.Contains(triggerValues, s) {
			return errInvalidKey("trigger", "$.trigger["+strconv.Itoa(i)+"]",
				map[string]any{"supported_values": triggerValues})
		}
	}
	return nil
}

// checkMatchFields validates duplicate_check_fields: only the system
// duplicate-check field and unique fields may be listed.
func checkMatchFields(mod *module, raw any) ([]string, *apiError) {
	if raw == nil {
		return nil, nil
	}
	arr, ok := raw.([]any)
	if !ok {
		return nil, errInvalidKey("duplicate_check_fields", "$.duplicate_check_fields",
			map[string]any{"expected_data_type": "jsonarray"})
	}
	out := make([]string, 0, len(arr))
	for i, v := range arr {
		name, _ := v.(string)
		f := mod.byName[name]
		if f == nil || !mod.isKey(f) {
			return nil, errInvalidKey("duplicate_check_fields", "$.duplicate_check_fields["+strconv.Itoa(i)+"]", nil)
		}
		out = append(out, name)
	}
	return out, nil
}

// executeWrite serves the records of a prepared write.
func (s *Sim) executeWrite(op *writeOp, data []any, dcf []string) writeOutcome {
	parsed := make([]*parsedRecord, len(data))
	for i, item := range data {
		parsed[i] = s.parseRecord(op, i, item)
	}
	now := s.Now()
	mixed, hasMixed := s.faults.fire(faultQuery{op.kind, op.mod.name, op.dc}, []string{FaultMixed}, now, s.rng)
	results := make([]any, len(data))
	tally := newTally()
	s.store.mu.Lock()
	for i, pr := range parsed {
		if hasMixed && i%2 == 1 {
			pr.err = s.mixedError(mixed, op.mod, pr, i)
		}
		results[i] = s.applyRecord(op, pr, dcf, now)
		tally.add(results[i])
	}
	s.store.mu.Unlock()
	if op.version < s.cfg.Unconfirmed.JSONPathFromVersion {
		stripJSONPaths(results)
	}
	return writeOutcome{status: s.writeStatus(op.kind, tally), body: map[string]any{"data": results},
		records: len(data), failed: tally.failed, results: tally.codes}
}

func (s *Sim) mixedError(f Fault, mod *module, pr *parsedRecord, i int) *apiError {
	codes := f.Codes
	if len(codes) == 0 {
		codes = recordFaultCodes
	}
	return s.syntheticError(codes[(i/2)%len(codes)], mod, pr.sampleField(mod), i)
}

// tally counts per-record outcomes.
type tally struct {
	ok, failed, inserted, modified int
	codes                          map[string]int
}

func newTally() *tally { return &tally{codes: map[string]int{}} }

func (t *tally) add(res any) {
	var r recordResult
	switch x := res.(type) {
	case recordResult:
		r = x
	case upsertResult:
		r = x.recordResult
		if x.Action == "insert" {
			t.inserted++
		}
	}
	t.codes[r.Code]++
	switch {
	case r.Status == "success":
		t.ok++
	case r.Code == "ALREADY_MODIFIED":
		t.failed++
		t.modified++
	default:
		t.failed++
	}
}

// writeStatus applies docs/ZOHO.md §1.3: insert 201/207/400, update and upsert
// 200/207/400; 412 when every record failed with ALREADY_MODIFIED.
func (s *Sim) writeStatus(kind string, t *tally) int {
	switch {
	case t.failed == 0 && kind == "insert":
		return http.StatusCreated
	case t.failed == 0 && kind == "upsert" && t.inserted == t.ok:
		return s.cfg.Unconfirmed.UpsertInsertStatus
	case t.failed == 0:
		return http.StatusOK
	case t.ok > 0:
		return http.StatusMultiStatus
	case t.modified == t.failed:
		return http.StatusPreconditionFailed
	}
	return http.StatusBadRequest
}

// stripJSONPaths removes json_path from record errors, as v2-era answers
// lacked it.
func stripJSONPaths(results []any) {
	for _, r := range results {
		if rr, ok := r.(recordResult); ok {
			if d, ok := rr.Details.(map[string]any); ok {
				delete(d, "json_path")
			}
		}
	}
}
