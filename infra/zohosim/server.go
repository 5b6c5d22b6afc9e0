package zohosim

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Server is a running simulator: one loopback listener per data centre, each
// serving that data centre's accounts server, API host and the control API.
type Server struct {
	sim     *Sim
	urls    map[string]string
	servers []*http.Server
	closing chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
}

// Start opens the listeners (127.0.0.1, a free port unless Config.Listen
// names one) and serves until Close. A Sim serves at most one Server at a
// time.
func (s *Sim) Start() (*Server, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil, errors.New("zohosim: already started")
	}
	srv := &Server{sim: s, urls: map[string]string{}, closing: make(chan struct{})}
	for _, dc := range s.cfg.DataCenters {
		if err := srv.listen(dc, s.cfg.Listen[dc]); err != nil {
			srv.shutdown()
			return nil, fmt.Errorf("zohosim: start %s: %w", dc, err)
		}
	}
	s.srv = srv
	return srv, nil
}

func (srv *Server) listen(dc, addr string) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := checkLoopback(addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv.urls[dc] = "http://" + ln.Addr().String()
	hs := &http.Server{Handler: &dcHandler{sim: srv.sim, srv: srv, dc: dc}, ReadHeaderTimeout: 30 * time.Second}
	srv.servers = append(srv.servers, hs)
	srv.wg.Add(1)
	go func() {
		defer srv.wg.Done()
		_ = hs.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return nil
}

// Close stops every listener, ends hanging calls and waits for the serving
// goroutines. It is safe to call more than once.
func (srv *Server) Close() error {
	srv.once.Do(func() {
		srv.shutdown()
		srv.sim.mu.Lock()
		if srv.sim.srv == srv {
			srv.sim.srv = nil
		}
		srv.sim.mu.Unlock()
	})
	return nil
}

func (srv *Server) shutdown() {
	close(srv.closing)
	for _, hs := range srv.servers {
		_ = hs.Close() // closes listeners and connections; errors are listener close errors
	}
	srv.wg.Wait()
}

// AccountsURL is the base URL of dc's accounts server, such as
// http://127.0.0.1:41234 ("" for a data centre not served).
func (srv *Server) AccountsURL(dc string) string { return srv.urls[dc] }

// APIURL is dc's API domain, returned as api_domain in token responses. It
// equals AccountsURL: one listener serves both.
func (srv *Server) APIURL(dc string) string { return srv.urls[dc] }

// DataCenters lists the data centres being served.
func (srv *Server) DataCenters() []string {
	dcs := make([]string, 0, len(srv.urls))
	for dc := range srv.urls {
		dcs = append(dcs, dc)
	}
	slices.Sort(dcs)
	return dcs
}

// dcHandler serves one data centre.
type dcHandler struct {
	sim *Sim
	srv *Server
	dc  string
}

func (h *dcHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/__sim/"):
		h.sim.serveControl(w, r)
	case p == "/oauth/v2/token", p == "/oauth/v2/token/revoke":
		h.serveToken(w, r)
	case strings.HasPrefix(p, "/crm/"):
		h.serveAPI(w, r)
	default:
		h.serveUnknown(w, r)
	}
}
