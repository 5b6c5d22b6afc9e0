package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
)

// EventIDer finds a delivery's event id: the sender's id from a header or
// the body, or else a hash of the body. *mapping.Mapper implements it.
type EventIDer interface {
	EventID(source string, headers http.Header, body []byte, contentType string) (string, error)
}

// SecretResolver turns secret references into values; *secrets.Resolver
// implements it.
type SecretResolver interface {
	ResolveAll(ctx context.Context, refs []string) ([]string, error)
}

// Defaults for Deps.
const (
	// DefaultLease outlasts the ingest function's 15-second timeout, so a
	// live attempt never loses its claim, while a crashed one frees it soon.
	DefaultLease = 30 * time.Second
)

// Deps are what New needs besides the config. Claims, Queue, IDs and
// Secrets are required; the rest have defaults.
type Deps struct {
	Claims  core.Claims
	Queue   core.Queue
	IDs     EventIDer
	Secrets SecretResolver

	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives one line per request (default slog.Default()).
	Log *slog.Logger
	// Metrics receives each invocation's EMF metrics (default os.Stdout).
	Metrics io.Writer
	// Lease is how long a claim stays in progress before another attempt
	// may take it over (default DefaultLease).
	Lease time.Duration
	// RetryAfter is the Retry-After of 409 and 503 answers (default Lease).
	RetryAfter time.Duration
}

// Handler answers webhook deliveries. Build it with New.
type Handler struct {
	sources    map[string]*source
	claims     core.Claims
	queue      core.Queue
	ids        EventIDer
	now        func() time.Time
	log        *slog.Logger
	metrics    io.Writer
	lease      time.Duration
	retryAfter time.Duration
}

// New builds the handler for cfg's sources: it resolves every source's
// secrets and builds its verifier once. Errors name the source and the
// setting, never a secret value; every failing source is reported.
func New(ctx context.Context, cfg *config.Config, d Deps) (*Handler, error) {
	if cfg == nil {
		return nil, errors.New("ingest: nil config")
	}
	if d.Claims == nil || d.Queue == nil || d.IDs == nil || d.Secrets == nil {
		return nil, errors.New("ingest: Claims, Queue, IDs and Secrets are required")
	}
	if d.Lease < 0 || d.RetryAfter < 0 {
		return nil, errors.New("ingest: negative lease or retry-after")
	}
	h := &Handler{
		sources: make(map[string]*source, len(cfg.Sources)),
		claims:  d.Claims, queue: d.Queue, ids: d.IDs,
		now: d.Now, log: d.Log, metrics: d.Metrics,
		lease: d.Lease, retryAfter: d.RetryAfter,
	}
	h.defaults()
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(cfg.Sources)) {
		s, err := newSource(ctx, name, cfg.Sources[name], d.Secrets)
		if err != nil {
			errs = append(errs, fmt.Errorf("ingest: source %s: %w", name, err))
			continue
		}
		h.sources[name] = s
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return h, nil
}

func (h *Handler) defaults() {
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.metrics == nil {
		h.metrics = os.Stdout
	}
	if h.lease == 0 {
		h.lease = DefaultLease
	}
	if h.retryAfter == 0 {
		h.retryAfter = h.lease
	}
}
