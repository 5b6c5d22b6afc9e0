package zohosim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The control API lives under /__sim/ on every listener. It needs no token:
// the simulator listens on loopback only. Answers are JSON; errors are
// {"error": "..."} with status 400 or 404.
//
//	GET    /__sim/stats                       Stats
//	GET    /__sim/log?limit=N                 {"entries": [LogEntry...]}
//	GET    /__sim/records/{module}            {"data": [records]}
//	GET    /__sim/records/{module}?field=F&value=V   {"data": [oldest match]}
//	POST   /__sim/reset                       Reset
//	GET    /__sim/faults                      {"faults": [Fault...]}
//	POST   /__sim/faults                      Fault -> {"id": ...}
//	DELETE /__sim/faults                      ClearFaults
//	DELETE /__sim/faults/{id}                 RemoveFault
//	POST   /__sim/tokens/invalidate           {"invalidated": n}
//	POST   /__sim/clients                     {"dc","client_id","client_secret"}
//	POST   /__sim/grant-codes                 {"dc","client_id","scope"} -> {"code"}
//	POST   /__sim/refresh-tokens              {"dc","client_id","scope","refresh_token"?} -> {"refresh_token"}
//	POST   /__sim/clock                       {"advance": "1h"} or {"set": RFC 3339} or {"real": true} -> {"now"}
//	PUT    /__sim/latency/{class}             Latency (class: token, write, composite)
//	PUT    /__sim/access-token-ttl            {"ttl": "5m"}

var errNotFound = errors.New("no such control endpoint")

type controlRoute struct {
	method, path string
	prefix       bool
	fn           func(s *Sim, r *http.Request, rest string) (any, error)
}

var controlRoutes = []controlRoute{
	{"GET", "/__sim/stats", false, func(s *Sim, _ *http.Request, _ string) (any, error) { return s.Stats(), nil }},
	{"GET", "/__sim/log", false, ctlLog},
	{"GET", "/__sim/records/", true, ctlRecords},
	{"POST", "/__sim/reset", false, func(s *Sim, _ *http.Request, _ string) (any, error) { s.Reset(); return ok(), nil }},
	{"GET", "/__sim/faults", false, func(s *Sim, _ *http.Request, _ string) (any, error) {
		return map[string]any{"faults": s.Faults()}, nil
	}},
	{"POST", "/__sim/faults", false, ctlAddFault},
	{"DELETE", "/__sim/faults", false, func(s *Sim, _ *http.Request, _ string) (any, error) { s.ClearFaults(); return ok(), nil }},
	{"DELETE", "/__sim/faults/", true, ctlRemoveFault},
	{"POST", "/__sim/tokens/invalidate", false, func(s *Sim, _ *http.Request, _ string) (any, error) {
		return map[string]int{"invalidated": s.InvalidateAllTokens()}, nil
	}},
	{"POST", "/__sim/clients", false, ctlAddClient},
	{"POST", "/__sim/grant-codes", false, ctlGrantCode},
	{"POST", "/__sim/refresh-tokens", false, ctlRefreshToken},
	{"POST", "/__sim/clock", false, ctlClock},
	{"PUT", "/__sim/latency/", true, ctlLatency},
	{"PUT", "/__sim/access-token-ttl", false, ctlTokenTTL},
}

func ok() map[string]string { return map[string]string{"status": "ok"} }

// serveControl dispatches /__sim/ requests.
func (s *Sim) serveControl(w http.ResponseWriter, r *http.Request) {
	for _, rt := range controlRoutes {
		if rt.method != r.Method {
			continue
		}
		rest, found := strings.CutPrefix(r.URL.Path, rt.path)
		if !found || (!rt.prefix && rest != "") || (rt.prefix && rest == "") {
			continue
		}
		out, err := rt.fn(s, r, rest)
		writeControl(w, out, err)
		return
	}
	writeControl(w, nil, errNotFound)
}

func writeControl(w http.ResponseWriter, out any, err error) {
	w.Header().Set("Content-Type", "application/json")
	status := http.StatusOK
	if err != nil {
		status, out = http.StatusBadRequest, map[string]string{"error": err.Error()}
		if errors.Is(err, errNotFound) {
			status = http.StatusNotFound
		}
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(out) // a client that went away is not our error
}

func readControl(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	return strictUnmarshal(b, v)
}

func ctlLog(s *Sim, r *http.Request, _ string) (any, error) {
	entries := s.Log()
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return nil, errors.New("limit: want a non-negative integer")
		}
		entries = entries[max(len(entries)-n, 0):]
	}
	return map[string]any{"entries": entries}, nil
}

func ctlRecords(s *Sim, r *http.Request, module string) (any, error) {
	if s.schema.modules[module] == nil {
		return nil, errors.New("unknown module " + module)
	}
	q := r.URL.Query()
	if field := q.Get("field"); field != "" {
		data := []any{}
		if rec := s.FindRecord(module, field, q.Get("value")); rec != nil {
			data = append(data, rec)
		}
		return map[string]any{"data": data}, nil
	}
	return map[string]any{"data": s.Records(module)}, nil
}

func ctlAddFault(s *Sim, r *http.Request, _ string) (any, error) {
	var f Fault
	if err := readControl(r, &f); err != nil {
		return nil, err
	}
	id, err := s.AddFault(f)
	return map[string]string{"id": id}, err
}

func ctlRemoveFault(s *Sim, _ *http.Request, id string) (any, error) {
	if !s.RemoveFault(id) {
		return nil, errNotFound
	}
	return ok(), nil
}

type controlClient struct {
	DC           string `json:"dc"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret,omitempty"`
	Scope        string `json:"scope,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

func ctlAddClient(s *Sim, r *http.Request, _ string) (any, error) {
	var c controlClient
	if err := readControl(r, &c); err != nil {
		return nil, err
	}
	return ok(), s.AddClient(c.DC, c.ClientID, c.ClientSecret)
}

func ctlGrantCode(s *Sim, r *http.Request, _ string) (any, error) {
	var c controlClient
	if err := readControl(r, &c); err != nil {
		return nil, err
	}
	code := s.GrantCode(c.DC, c.ClientID, c.Scope)
	if code == "" {
		return nil, errors.New("client is not registered in that data centre")
	}
	return map[string]string{"code": code}, nil
}

func ctlRefreshToken(s *Sim, r *http.Request, _ string) (any, error) {
	var c controlClient
	if err := readControl(r, &c); err != nil {
		return nil, err
	}
	token := c.RefreshToken
	if token == "" {
		token = newToken()
	}
	if err := s.AddRefreshToken(c.DC, c.ClientID, token, c.Scope); err != nil {
		return nil, err
	}
	return map[string]string{"refresh_token": token}, nil
}

func ctlClock(s *Sim, r *http.Request, _ string) (any, error) {
	var c struct {
		Advance jsonDuration `json:"advance"`
		Set     *time.Time   `json:"set"`
		Real    bool         `json:"real"`
	}
	if err := readControl(r, &c); err != nil {
		return nil, err
	}
	switch {
	case c.Real:
		s.SetClock(nil)
	case c.Set != nil:
		at := *c.Set
		offset := time.Until(at)
		s.SetClock(func() time.Time { return time.Now().Add(offset) })
	}
	s.Advance(time.Duration(c.Advance))
	return map[string]string{"now": s.Now().Format(time.RFC3339Nano)}, nil
}

func ctlLatency(s *Sim, r *http.Request, class string) (any, error) {
	var l Latency
	if err := readControl(r, &l); err != nil {
		return nil, err
	}
	return ok(), s.SetLatency(class, l)
}

func ctlTokenTTL(s *Sim, r *http.Request, _ string) (any, error) {
	var c struct {
		TTL jsonDuration `json:"ttl"`
	}
	if err := readControl(r, &c); err != nil {
		return nil, err
	}
	s.SetAccessTokenTTL(time.Duration(c.TTL))
	return ok(), nil
}
