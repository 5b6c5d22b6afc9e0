package app

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/zohosync/zohosync/shared/auth"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/ingest"
	"github.com/zohosync/zohosync/shared/ledger"
	"github.com/zohosync/zohosync/shared/mapping"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/plan"
	"github.com/zohosync/zohosync/shared/queue"
	"github.com/zohosync/zohosync/shared/retry"
	"github.com/zohosync/zohosync/shared/syncer"
	"github.com/zohosync/zohosync/shared/zoho"
)

// Ingest builds the ingest handler; it resolves every source's signing
// secrets now (cold start).
func (rt *Runtime) Ingest(ctx context.Context) (*ingest.Handler, error) {
	m, err := rt.Mapper()
	if err != nil {
		return nil, err
	}
	return ingest.New(ctx, rt.Config, ingest.Deps{
		Claims: rt.Table.Claims(), Queue: rt.Queue, IDs: m, Secrets: rt.Secrets, Log: rt.Log, Metrics: rt.Metrics,
	})
}

// Tokens builds the token store; each org's client credentials are resolved
// from their secret references on first use.
func (rt *Runtime) Tokens() (*auth.Store, error) {
	urls := map[string]string{}
	for name, o := range rt.Config.Orgs {
		if o.AccountsURL != "" {
			urls[name] = o.AccountsURL
		}
	}
	o := rt.AuthTuning
	o.Table, o.Clients, o.AccountsURLs = rt.Settings.Table, rt.clientFor, urls
	if o.HTTPClient == nil {
		o.HTTPClient = rt.HTTP
	}
	return auth.New(rt.DynamoDB, o)
}

// clientFor resolves an org's self-client credentials.
func (rt *Runtime) clientFor(ctx context.Context, org string) (auth.Client, error) {
	o := rt.Config.Orgs[org]
	if o == nil {
		return auth.Client{}, fmt.Errorf("org %q is not in the config", org)
	}
	vals, err := rt.Secrets.ResolveAll(ctx, []string{o.ClientID, o.ClientSecret})
	if err != nil {
		return auth.Client{}, fmt.Errorf("org %s client credentials: %w", org, err)
	}
	return auth.Client{ID: vals[0], Secret: vals[1]}, nil
}

// Limits returns each org's ledger limits from the config.
func (rt *Runtime) Limits() (map[string]ledger.Limits, error) {
	out := map[string]ledger.Limits{}
	for name, o := range rt.Config.Orgs {
		l, err := ledger.LimitsFor(o, nil, 0)
		if err != nil {
			return nil, err
		}
		out[name] = l
	}
	return out, nil
}

// Ledger builds the credit ledger for the config's orgs.
func (rt *Runtime) Ledger() (*ledger.Ledger, error) {
	lim, err := rt.Limits()
	if err != nil {
		return nil, err
	}
	o := rt.LedgerTuning
	o.Table, o.Orgs = rt.Settings.Table, lim
	return ledger.New(rt.DynamoDB, o)
}

// CRM builds the Zoho client. Calls go to each token's api_domain.
func (rt *Runtime) CRM() (*zoho.Client, error) {
	return zoho.NewClient(rt.HTTP)
}

// SyncOptions adjust the sync handler for the local stack and tests.
type SyncOptions struct {
	Options  syncer.Options
	OnResult func(context.Context, core.Result)
	// Tokens and Ledger, when set, replace the ones Sync would build (the
	// local stack shares one of each across its pollers).
	Tokens core.Tokens
	Ledger core.Ledger
	// Policy, when not the zero value, replaces retry.Default (the fault
	// run shortens the backoffs).
	Policy retry.Policy
}

// parts are what the sync, admin and refresh handlers share: the compiled
// mapping, the token store, the credit ledger and the planner over the
// ledger's limits.
type parts struct {
	mapper  *mapping.Mapper
	tokens  *auth.Store
	ledger  *ledger.Ledger
	planner Planner
}

func (rt *Runtime) parts() (parts, error) {
	var p parts
	var err error
	if p.mapper, err = rt.Mapper(); err != nil {
		return p, err
	}
	if p.tokens, err = rt.Tokens(); err != nil {
		return p, err
	}
	if p.ledger, err = rt.Ledger(); err != nil {
		return p, err
	}
	lim, err := rt.Limits()
	p.planner = Planner{Limits: lim}
	return p, err
}

// Sync builds the sync handler.
func (rt *Runtime) Sync(o SyncOptions) (*syncer.Handler, error) {
	p, err := rt.parts()
	if err != nil {
		return nil, err
	}
	crm, err := rt.CRM()
	if err != nil {
		return nil, err
	}
	var tokens core.Tokens = p.tokens
	if o.Tokens != nil {
		tokens = o.Tokens
	}
	var led core.Ledger = p.ledger
	if o.Ledger != nil {
		led = o.Ledger
	}
	return syncer.New(syncer.Deps{
		Decode:      queue.Decoder(rt.Table.Blobs()),
		Mapper:      p.mapper,
		Planner:     p.planner,
		CRM:         crm,
		Classify:    Classify,
		Tokens:      tokens,
		TokenWait:   auth.Wait,
		Ledger:      led,
		Queue:       rt.Queue,
		DeadLetters: rt.Table.DeadLetters(),
		Policy:      o.Policy,
		OnResult:    o.OnResult,
		Metrics:     rt.recorder,
		Log:         rt.Log,
	}, o.Options)
}

// Refresh builds the scheduled refresh handler for every org.
func (rt *Runtime) Refresh() (*auth.Scheduled, error) {
	p, err := rt.parts()
	if err != nil {
		return nil, err
	}
	orgs := make([]string, 0, len(rt.Config.Orgs))
	for name := range rt.Config.Orgs {
		orgs = append(orgs, name)
	}
	sort.Strings(orgs)
	return &auth.Scheduled{Tokens: p.tokens, Ledger: p.ledger, Orgs: orgs, Log: rt.Log,
		Metrics: rt.recorder}, nil
}

// Planner adapts package plan to the sync handler: per org, the ledger's
// limits say how much concurrency the plan may assume.
type Planner struct {
	Limits map[string]ledger.Limits
}

// Plan plans one org's operations.
func (p Planner) Plan(org string, ops []*core.Operation) ([][]*core.Call, []core.Rejection, error) {
	lim := plan.Limits{Bind: plan.Auto, Units: -1, Sub: -1, Credits: -1}
	if l, ok := p.Limits[org]; ok {
		lim.Units = l.Concurrency
		// Every call that holds a sub-concurrency slot also holds a unit, so
		// a sub share at least as large as the unit share never binds first.
		// Telling the planner about it anyway made it split large groups
		// into 10-record calls: the same credits but ten times the calls,
		// and a tenth of the records per unit (`make bench`, burst).
		if l.Sub < l.Concurrency {
			lim.Sub = l.Sub
		}
	}
	pl, err := plan.Make(ops, lim)
	if err != nil {
		return nil, nil, err
	}
	var rej []core.Rejection
	for _, r := range pl.Rejected {
		rej = append(rej, core.Rejection{Op: r.Op, Err: r.Err})
	}
	return pl.Stages, rej, nil
}

// Cost is plan.CostOf.
func (Planner) Cost(c *core.Call) (credits, units, sub int) {
	k := plan.CostOf(c)
	return k.Credits, k.Units, k.Sub
}

// Classify sorts the Zoho client's request-level errors for the sync
// handler.
func Classify(err error) (syncer.Kind, *core.Problem) {
	p := zoho.ProblemOf(err)
	switch {
	case errors.Is(err, zoho.ErrInvalidToken):
		return syncer.Unauthorized, p
	case errors.Is(err, zoho.ErrRateLimited):
		return syncer.Throttled, p
	case errors.Is(err, zoho.ErrLimitExceeded):
		return syncer.TooLarge, p
	case zoho.Retryable(err):
		return syncer.Transient, p
	}
	return syncer.Permanent, p
}

// recorder returns a fresh metrics recorder writing to rt.Metrics.
func (rt *Runtime) recorder() *obs.Recorder { return obs.NewRecorder(rt.Metrics) }
