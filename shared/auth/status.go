package auth

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Status is what the table says about an org's token, without secrets.
type Status struct {
	Org         string
	Connected   bool
	DataCenter  string
	APIDomain   string
	AccountsURL string
	ClientID    string
	// Expiry and Minted describe the stored access token (Expiry is zero
	// after an Invalidate).
	Expiry time.Time
	Minted time.Time
	// RecentMints counts mints within the mint window; NextMint is when
	// the next one is allowed (zero: now).
	RecentMints int
	NextMint    time.Time
	// Reauth holds Zoho's error code while the org must be connected again.
	Reauth string
	// Refreshing is true while a worker holds the refresh lease.
	Refreshing bool
}

// Status reads org's token item. An org never connected reports
// Connected false and no error.
func (s *Store) Status(ctx context.Context, org string) (Status, error) {
	it, err := s.load(ctx, org)
	if errors.Is(err, ErrNotConnected) {
		return Status{Org: org}, nil
	}
	if err != nil {
		return Status{}, err
	}
	now := s.opt.Now()
	next, _ := it.nextMint(now, s.opt.MintLimit, s.opt.MintWindow)
	return Status{
		Org: org, Connected: true,
		DataCenter: it.DataCenter, APIDomain: it.APIDomain, AccountsURL: it.AccountsURL, ClientID: it.ClientID,
		Expiry: it.Expiry, Minted: it.Minted,
		RecentMints: len(it.recentMints(now, s.opt.MintWindow)), NextMint: next,
		Reauth: it.Reauth, Refreshing: it.leaseLive(now),
	}, nil
}

// Refresh makes sure org's stored access token stays valid for at least
// within, minting a new one through the same fleet-wide lease as Token when
// it would not. An org in the re-authorise state gets exactly one refresh
// attempt per call (success clears the state). The scheduled refresh calls
// this so that Token on the hot path almost never has to refresh.
func (s *Store) Refresh(ctx context.Context, org string, within time.Duration) error {
	if within < s.opt.Margin {
		within = s.opt.Margin
	}
	unlock, err := s.lock(ctx, org)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := s.obtain(ctx, org, within, true); err != nil {
		return fmt.Errorf("auth: scheduled refresh: %w", err)
	}
	return nil
}
