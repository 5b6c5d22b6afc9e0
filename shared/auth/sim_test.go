package auth

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/infra/zohosim"
)

// simRig is the project's Zoho simulator (one data centre, eu) with one
// self-client, plus a provisioned state table.
type simRig struct {
	*rig
	sim    *zohosim.Sim
	srv    *zohosim.Server
	id     string
	secret string
}

func newSimRig(t testing.TB, cfg zohosim.Config) *simRig {
	t.Helper()
	cfg.DataCenters = []string{"eu"}
	sim, err := zohosim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	r := &simRig{sim: sim, srv: srv, id: "1000.SIMCLIENT", secret: "sim-client-secret"}
	if err := sim.AddClient("eu", r.id, r.secret); err != nil {
		t.Fatal(err)
	}
	names := emutest.Provision(t)
	r.rig = &rig{db: emutest.Dynamo(t), table: names.Tables["StateTable"]}
	r.rig.opt = Options{
		Table:        r.table,
		Clients:      func(context.Context, string) (Client, error) { return Client{ID: r.id, Secret: r.secret}, nil },
		AccountsURLs: map[string]string{"acme": srv.AccountsURL("eu")},
	}
	return r
}

// connect exchanges a fresh grant code through s.
func (r *simRig) connect(t testing.TB, s *Store) Connection {
	t.Helper()
	code := r.sim.GrantCode("eu", r.id, "")
	c, err := s.Connect(context.Background(), "acme", "eu", code, r.id, r.secret)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	return c
}

// mints is the simulator's count of access tokens minted.
func (r *simRig) mints() int { return r.sim.Stats().TokenMintsTotal }

// tokenCalls counts answered calls to the token endpoint.
func (r *simRig) tokenCalls() int {
	n := 0
	for _, c := range r.sim.Stats().Calls["token"] {
		n += c
	}
	return n
}

// insertLead writes one Lead with tok and returns the HTTP status.
func (r *simRig) insertLead(t testing.TB, tok string, apiDomain string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, apiDomain+"/crm/v8/Leads",
		strings.NewReader(`{"data":[{"Last_Name":"Doe","Company":"Example"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// revoke revokes the stored refresh token at the simulator's accounts
// server, as a person removing the self-client's grant would.
func (r *simRig) revoke(t testing.TB, s *Store) {
	t.Helper()
	it, err := s.load(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	u := r.srv.AccountsURL("eu") + "/oauth/v2/token/revoke?token=" + url.QueryEscape(it.Refresh)
	resp, err := http.Post(u, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
