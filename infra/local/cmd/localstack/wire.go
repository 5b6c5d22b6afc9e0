package main

import (
	"context"
	"errors"

	"github.com/zohosync/zohosync/infra/local/stack"
)

// Wiring is what buildHandlers gets: the local resources and the
// simulator, already set in the process environment (stack.FunctionEnv plus
// the secrets of secretEnv).
type Wiring struct {
	Stack *stack.Stack
	Env   map[string]string
	// Sim is the running Zoho simulator (nil until startSimulator is wired).
	Sim Simulator
	// OnResult must be passed to the sync handler (syncer option OnResult):
	// it is how the runner learns what became of each operation.
	OnResult stack.ResultFunc
}

// Simulator is the part of infra/zohosim the runner uses.
type Simulator interface {
	stack.CRM
	AccountsURL(dc string) string
	AddClient(dc, clientID, clientSecret string) error
	GrantCode(dc, clientID, scope string) string
	// Totals returns the Zoho calls answered and the credits spent.
	Totals() (calls int, credits int64)
	Stop()
}

// errNotWired reports wiring that waits on other packages.
var errNotWired = errors.New("not wired yet")

// buildHandlers builds the four functions in process from their shared/
// packages, exactly as their mains do, with w.OnResult given to the sync
// handler.
//
// TODO: wire shared/ingest, shared/syncer (OnResult), the refresh and admin
// handlers once their constructors are final; until then `make run` stops
// here with this message.
func buildHandlers(ctx context.Context, w *Wiring) (stack.Handlers, error) {
	return stack.Handlers{}, errors.Join(errNotWired,
		errors.New("buildHandlers (infra/local/cmd/localstack/wire.go) must build the ingest, sync, refresh and admin handlers in process"))
}

// startSimulator starts infra/zohosim on 127.0.0.1 and registers the local
// self-client.
//
// TODO: wire infra/zohosim once its Start/AccountsURL API is committed.
func startSimulator(ctx context.Context) (Simulator, error) {
	return nil, errors.Join(errNotWired, errors.New("startSimulator (infra/local/cmd/localstack/wire.go) must start infra/zohosim"))
}
