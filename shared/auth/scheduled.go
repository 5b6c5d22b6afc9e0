package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/obs"
)

// DefaultRefreshWithin is how close to expiry the scheduled refresh renews
// a token. With the default 10-minute schedule and one-hour tokens, each
// token is renewed once, 40 to 50 minutes into its life, before any worker
// sees it inside its 5-minute margin.
const DefaultRefreshWithin = 20 * time.Minute

// Tidier tidies an org's ledger items (expired credit buckets, dead
// concurrency slots); the ledger package's Ledger implements it.
type Tidier interface {
	Tidy(ctx context.Context, org string) error
}

// Scheduled is the handler of the scheduled refresh function.
type Scheduled struct {
	Tokens *Store
	// Ledger, when set, is tidied for every org.
	Ledger Tidier
	// Orgs are the orgs of the config, in the order to visit them.
	Orgs []string
	// Within: renew tokens that expire within this (default
	// DefaultRefreshWithin).
	Within time.Duration
	// Log receives one line per problem (default: discard).
	Log *slog.Logger
	// Metrics returns the recorder for one invocation, flushed at its end
	// (default: none).
	Metrics func() *obs.Recorder
}

// Handle runs one scheduled pass over every org. Problems an operator must
// fix (re-authorisation, the mint cap) are logged and counted, not
// returned, so the scheduler does not retry them; other failures are
// returned together after every org was visited.
func (h *Scheduled) Handle(ctx context.Context, _ events.EventBridgeEvent) error {
	if h.Metrics != nil {
		rec := h.Metrics()
		ctx = obs.WithRecorder(ctx, rec)
		defer rec.Flush()
	}
	var errs []error
	for _, org := range h.Orgs {
		if err := h.refreshOrg(obs.With(ctx, "org", org), org); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (h *Scheduled) refreshOrg(ctx context.Context, org string) error {
	log := h.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	within := h.Within
	if within <= 0 {
		within = DefaultRefreshWithin
	}
	var failed error
	err := h.Tokens.Refresh(ctx, org, within)
	var ml *MintLimitError
	switch {
	case errors.Is(err, ErrReauthorize), errors.Is(err, ErrNotConnected):
		log.WarnContext(ctx, "org needs connecting to Zoho", "error", err.Error())
	case errors.As(err, &ml):
		log.WarnContext(ctx, "token mint limit reached", "next_mint", ml.NextAt.UTC().Format(time.RFC3339), "zoho", ml.Zoho)
	case err != nil:
		log.ErrorContext(ctx, "token refresh failed", "error", err.Error())
		failed = fmt.Errorf("org %s: %w", org, err)
	}
	h.emitTokenMetrics(ctx, org)
	if h.Ledger != nil {
		if err := h.Ledger.Tidy(ctx, org); err != nil {
			log.ErrorContext(ctx, "ledger tidy failed", "error", err.Error())
			failed = errors.Join(failed, fmt.Errorf("org %s: %w", org, err))
		}
	}
	return failed
}

// emitTokenMetrics records TokenAge (ms since the stored token was minted)
// and TokenMintsRecent (mints within the mint window).
func (h *Scheduled) emitTokenMetrics(ctx context.Context, org string) {
	st, err := h.Tokens.Status(ctx, org)
	if err != nil || !st.Connected {
		return
	}
	if !st.Minted.IsZero() {
		age := h.Tokens.opt.Now().Sub(st.Minted)
		obs.Add(ctx, "TokenAge", obs.Milliseconds, float64(age.Milliseconds()), obs.Org(org))
	}
	obs.Add(ctx, "TokenMintsRecent", obs.None, float64(st.RecentMints), obs.Org(org))
}
