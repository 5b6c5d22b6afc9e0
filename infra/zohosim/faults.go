package zohosim

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Fault actions.
const (
	// FaultStatus answers the call with Status and Code instead of serving
	// it (or after serving it, with Commit).
	FaultStatus = "status"
	// FaultRecordError fails matching records of a write with Code (or the
	// next of Codes); Count, After and Rate count records, not calls.
	FaultRecordError = "record_error"
	// FaultMixed makes a write answer a mix: records at even positions are
	// served, records at odd positions fail with each of Codes in turn
	// (default: every per-record code the simulator knows).
	FaultMixed = "mixed"
	// FaultHang holds the call for Delay (0: until the client gives up or
	// the server closes) before serving it, or after serving it with Commit.
	FaultHang = "hang"
	// FaultDrop closes the connection without an answer, before serving the
	// call or, with Commit, after.
	FaultDrop = "drop"
	// FaultInvalidateTokens invalidates every access token when a matching
	// call arrives; the call then proceeds (and fails authentication).
	FaultInvalidateTokens = "invalidate_tokens"
)

// Fault is one fault rule. A rule matches calls by Endpoint ("" for every
// call; token, revoke, insert, update, upsert, composite; "write" for the
// three record writes; "api" for every /crm call), Module and DC; lets the
// first After matches pass; then fires on each match with probability Rate
// (0 means always), at most Count times (0 means no limit), while For has not
// elapsed since it was added (0 means until removed; the simulator's clock).
// Record writes inside composite sub-requests are matched by their own
// endpoint for FaultRecordError and FaultMixed.
type Fault struct {
	ID       string        `json:"id,omitempty"`
	Endpoint string        `json:"endpoint,omitempty"`
	Module   string        `json:"module,omitempty"`
	DC       string        `json:"dc,omitempty"`
	Action   string        `json:"action"`
	After    int           `json:"after,omitempty"`
	Count    int           `json:"count,omitempty"`
	Rate     float64       `json:"rate,omitempty"`
	For      time.Duration `json:"for,omitempty"`
	Status   int           `json:"status,omitempty"`
	Code     string        `json:"code,omitempty"`
	Codes    []string      `json:"codes,omitempty"`
	Delay    time.Duration `json:"delay,omitempty"`
	Commit   bool          `json:"commit,omitempty"`
}

var (
	faultActions   = []string{FaultStatus, FaultRecordError, FaultMixed, FaultHang, FaultDrop, FaultInvalidateTokens}
	faultEndpoints = []string{"", "token", "revoke", "insert", "update", "upsert", "composite", "write", "api"}
	requestActions = []string{FaultStatus, FaultHang, FaultDrop, FaultInvalidateTokens}
)

func (f Fault) validate() error {
	if !slices.Contains(faultActions, f.Action) {
		return fmt.Errorf("fault action %q: want one of %v", f.Action, faultActions)
	}
	if !slices.Contains(faultEndpoints, f.Endpoint) {
		return fmt.Errorf("fault endpoint %q: want one of %v", f.Endpoint, faultEndpoints[1:])
	}
	if f.Rate < 0 || f.Rate > 1 || f.Count < 0 || f.After < 0 || f.For < 0 || f.Delay < 0 {
		return fmt.Errorf("fault: rate must be in [0,1]; count, after, for and delay not negative")
	}
	if f.DC != "" && !knownDataCenter(f.DC) {
		return fmt.Errorf("fault: unknown data centre %q", f.DC)
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return fmt.Errorf("fault status %d: want 4xx or 5xx", f.Status)
	}
	for _, c := range append(slices.Clone(f.Codes), f.Code) {
		if f.Action != FaultStatus && c != "" && !slices.Contains(recordFaultCodes, c) {
			return fmt.Errorf("fault code %q: want one of %v", c, recordFaultCodes)
		}
	}
	return nil
}

// statusAndCode fills in a status fault's defaults.
func (f Fault) statusAndCode() (int, string) {
	status, code := f.Status, f.Code
	if status == 0 {
		status = map[string]int{"TOO_MANY_REQUESTS": 429, "INVALID_TOKEN": 401,
			"AUTHENTICATION_FAILURE": 401, "REQUEST_TIMEOUT": 504}[code]
		if status == 0 {
			status = 500
		}
	}
	if code == "" {
		code = map[int]string{429: "TOO_MANY_REQUESTS", 401: "INVALID_TOKEN", 504: "REQUEST_TIMEOUT"}[status]
		if code == "" {
			code = "INTERNAL_ERROR"
		}
	}
	return status, code
}

// faultQuery describes the call being matched.
type faultQuery struct {
	endpoint, module, dc string
}

func (f *Fault) matches(q faultQuery) bool {
	switch f.Endpoint {
	case "":
	case "write":
		if q.endpoint != "insert" && q.endpoint != "update" && q.endpoint != "upsert" {
			return false
		}
	case "api":
		if q.endpoint == "token" || q.endpoint == "revoke" {
			return false
		}
	default:
		if f.Endpoint != q.endpoint {
			return false
		}
	}
	return (f.Module == "" || f.Module == q.module) && (f.DC == "" || f.DC == q.dc)
}

type activeFault struct {
	Fault
	added time.Time
	seen  int
	fired int
}

// faultSet holds the installed rules in the order they were added.
type faultSet struct {
	mu     sync.Mutex
	list   []*activeFault
	nextID int
}

func newFaultSet() *faultSet { return &faultSet{} }

func (fs *faultSet) add(f Fault, now time.Time) string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.nextID++
	if f.ID == "" {
		f.ID = "f" + strconv.Itoa(fs.nextID)
	}
	fs.list = slices.DeleteFunc(fs.list, func(a *activeFault) bool { return a.ID == f.ID })
	fs.list = append(fs.list, &activeFault{Fault: f, added: now})
	return f.ID
}

// fire returns the first live rule with one of actions that matches q and
// fires now, counting the match. The returned Fault's Code is the code for
// this firing.
func (fs *faultSet) fire(q faultQuery, actions []string, now time.Time, r *lockedRand) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.expireLocked(now)
	for _, a := range fs.list {
		if !slices.Contains(actions, a.Action) || !a.matches(q) {
			continue
		}
		a.seen++
		if a.seen <= a.After || (a.Rate > 0 && a.Rate < 1 && r.float64() >= a.Rate) {
			continue
		}
		f := a.Fault
		if len(a.Codes) > 0 && a.Action == FaultRecordError {
			f.Code = a.Codes[a.fired%len(a.Codes)]
		}
		a.fired++
		return f, true
	}
	return Fault{}, false
}

func (fs *faultSet) expireLocked(now time.Time) {
	fs.list = slices.DeleteFunc(fs.list, func(a *activeFault) bool {
		spent := a.Count > 0 && a.fired >= a.Count
		expired := a.For > 0 && !now.Before(a.added.Add(a.For))
		return spent || expired
	})
}

func (fs *faultSet) remove(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := len(fs.list)
	fs.list = slices.DeleteFunc(fs.list, func(a *activeFault) bool { return a.ID == id })
	return len(fs.list) < n
}

func (fs *faultSet) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = nil
}

func (fs *faultSet) snapshot(now time.Time) []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.expireLocked(now)
	out := make([]Fault, 0, len(fs.list))
	for _, a := range fs.list {
		out = append(out, a.Fault)
	}
	return out
}

// AddFault installs a rule and returns its id (Fault.ID, or a generated one).
// A rule with the ID of an installed rule replaces it.
func (s *Sim) AddFault(f Fault) (string, error) {
	if err := f.validate(); err != nil {
		return "", fmt.Errorf("zohosim: %w", err)
	}
	return s.faults.add(f, s.Now()), nil
}

// RemoveFault removes the rule with id and reports whether it existed.
func (s *Sim) RemoveFault(id string) bool { return s.faults.remove(id) }

// ClearFaults removes every rule.
func (s *Sim) ClearFaults() { s.faults.clear() }

// Faults returns the rules still live (not spent, not expired).
func (s *Sim) Faults() []Fault { return s.faults.snapshot(s.Now()) }

// InvalidateAllTokens invalidates every access token at once (refresh tokens
// stay valid) and returns how many were live.
func (s *Sim) InvalidateAllTokens() int { return s.tokens.invalidateAll() }
