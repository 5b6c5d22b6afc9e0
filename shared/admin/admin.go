package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/zohosync/zohosync/shared/auth"
	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/dynamo"
	"github.com/zohosync/zohosync/shared/ledger"
)

// Request is one admin action.
type Request struct {
	Action string `json:"action"`
	Org    string `json:"org,omitempty"`

	// connect
	GrantCode  string `json:"grant_code,omitempty"`
	DataCenter string `json:"data_center,omitempty"`

	// replay: either IDs, or a selection by Source/Code/Since/Until (Org
	// or Source required), at most Limit (default 100) per call; at most
	// MaxReplayLimit either way.
	IDs    []string  `json:"ids,omitempty"`
	Source string    `json:"source,omitempty"`
	Code   string    `json:"code,omitempty"`
	Since  time.Time `json:"since,omitzero"`
	Until  time.Time `json:"until,omitzero"`
	Limit  int       `json:"limit,omitempty"`
	// Preview lists what replay would enqueue without enqueuing.
	Preview bool `json:"preview,omitempty"`

	// dry-run: Source plus the body (a JSON value, or a JSON string holding
	// the raw body text, e.g. a form), optional headers and content type.
	Body        json.RawMessage   `json:"body,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
	ContentType string            `json:"content_type,omitempty"`
}

// Tokens is what admin needs of the token store.
type Tokens interface {
	Connect(ctx context.Context, org, dc, grantCode, clientID, clientSecret string) (auth.Connection, error)
	Status(ctx context.Context, org string) (auth.Status, error)
}

// Credits is what admin needs of the ledger.
type Credits interface {
	Status(ctx context.Context, org string) (ledger.Status, error)
}

// DeadLetters is what admin needs of the dead-letter store.
type DeadLetters interface {
	List(ctx context.Context, q dynamo.Query) (dynamo.Page, error)
	Get(ctx context.Context, id string) (*dynamo.Record, error)
	Counts(ctx context.Context, org string, since time.Time) (dynamo.Counts, error)
	MarkReplayed(ctx context.Context, id string) (dynamo.ReplayMark, error)
	UnmarkReplayed(ctx context.Context, m dynamo.ReplayMark) error
}

// Mapper maps one event (see package mapping).
type Mapper interface {
	Map(env *core.Envelope, body []byte) ([]core.Operation, error)
}

// Deps are the handler's collaborators.
type Deps struct {
	Config      *config.Config
	Tokens      Tokens
	Clients     func(ctx context.Context, org string) (auth.Client, error)
	Credits     Credits
	DeadLetters DeadLetters
	Queue       core.Queue
	// QueueDepth reports the events queue's and DLQ's message counts.
	QueueDepth func(ctx context.Context) (map[string]int, error)
	Mapper     Mapper
	Planner    core.Planner
	Log        *slog.Logger
	Now        func() time.Time
}

// Handler runs admin actions.
type Handler struct{ d Deps }

// New returns a handler.
func New(d Deps) (*Handler, error) {
	if d.Config == nil || d.Tokens == nil || d.Clients == nil || d.Credits == nil || d.DeadLetters == nil ||
		d.Queue == nil || d.Mapper == nil || d.Planner == nil {
		return nil, errors.New("admin: missing dependency")
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Handler{d: d}, nil
}

// ErrBadRequest marks a request the operator must correct.
var ErrBadRequest = errors.New("bad request")

// Handle runs one action and returns its JSON-encodable answer. Errors name
// what is wrong with the request, never a secret.
func (h *Handler) Handle(ctx context.Context, req Request) (any, error) {
	h.d.Log.InfoContext(ctx, "admin action", "action", req.Action, "org", req.Org, "source", req.Source)
	switch req.Action {
	case "connect":
		return h.connect(ctx, req)
	case "status":
		return h.status(ctx, req)
	case "replay":
		return h.replay(ctx, req)
	case "dry-run", "dryrun":
		return h.dryRun(ctx, req)
	case "":
		return nil, fmt.Errorf("%w: no action; use connect, status, replay or dry-run", ErrBadRequest)
	}
	return nil, fmt.Errorf("%w: unknown action %q; use connect, status, replay or dry-run", ErrBadRequest, req.Action)
}

// org returns the named org, or the only one when the config has one.
func (h *Handler) org(name string) (*config.Org, error) {
	if name == "" && len(h.d.Config.Orgs) == 1 {
		for _, o := range h.d.Config.Orgs {
			return o, nil
		}
	}
	o := h.d.Config.Orgs[name]
	if o == nil {
		return nil, fmt.Errorf("%w: org %q is not in the config", ErrBadRequest, name)
	}
	return o, nil
}

// ConnectAnswer is connect's answer.
type ConnectAnswer struct {
	Org         string    `json:"org"`
	DataCenter  string    `json:"data_center"`
	APIDomain   string    `json:"api_domain"`
	AccountsURL string    `json:"accounts_url"`
	TokenExpiry time.Time `json:"token_expiry"`
}

func (h *Handler) connect(ctx context.Context, req Request) (any, error) {
	o, err := h.org(req.Org)
	if err != nil {
		return nil, err
	}
	if req.GrantCode == "" {
		return nil, fmt.Errorf("%w: connect needs grant_code (Zoho API console → Self Client → Generate Code)", ErrBadRequest)
	}
	dc := req.DataCenter
	if dc == "" {
		dc = o.DataCenter
	}
	cl, err := h.d.Clients(ctx, o.Name)
	if err != nil {
		return nil, err
	}
	c, err := h.d.Tokens.Connect(ctx, o.Name, dc, req.GrantCode, cl.ID, cl.Secret)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", o.Name, err)
	}
	return ConnectAnswer{Org: c.Org, DataCenter: c.DataCenter, APIDomain: c.APIDomain,
		AccountsURL: c.AccountsURL, TokenExpiry: c.Expiry}, nil
}

// Invoke decodes one raw action and runs it (the Lambda entry point). Keys
// Request does not know are refused rather than dropped: a mistyped replay
// filter must not widen the selection to every dead letter.
func (h *Handler) Invoke(ctx context.Context, payload json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	var req Request
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("%w: the request is not an admin action: %w", ErrBadRequest, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: the request holds more than one JSON value", ErrBadRequest)
	}
	return h.Handle(ctx, req)
}
