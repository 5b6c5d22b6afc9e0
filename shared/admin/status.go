package admin

import (
	"context"
	"sort"
	"time"

	"github.com/zohosync/zohosync/shared/dynamo"
)

// StatusAnswer is status's answer for one org.
type StatusAnswer struct {
	Org         string         `json:"org"`
	Token       TokenStatus    `json:"token"`
	Credits     CreditStatus   `json:"credits"`
	Queue       map[string]int `json:"queue,omitempty"`
	DeadLetters DeadStatus     `json:"dead_letters"`
	Problems    []string       `json:"problems,omitempty"`
}

// TokenStatus describes the org's OAuth connection (no secrets).
type TokenStatus struct {
	Connected   bool      `json:"connected"`
	DataCenter  string    `json:"data_center,omitempty"`
	APIDomain   string    `json:"api_domain,omitempty"`
	Expiry      time.Time `json:"expiry,omitzero"`
	AgeSeconds  int       `json:"age_seconds,omitempty"`
	RecentMints int       `json:"recent_mints"`
	NextMint    time.Time `json:"next_mint,omitzero"`
	Reauth      string    `json:"reauthorize_needed,omitempty"`
}

// CreditStatus describes the org's rolling credit window and slots.
type CreditStatus struct {
	Budget    int `json:"budget"`
	Used      int `json:"used_24h"`
	OtherApps int `json:"inferred_other_apps"`
	// ZohoRemaining is the last X-API-CREDITS-REMAINING Zoho sent (it sends
	// the header only once half the day's credits are used); absent until then.
	ZohoRemaining *int      `json:"zoho_remaining,omitempty"`
	CoolDownUntil time.Time `json:"cool_down_until,omitzero"`
	UnitsHeld     int       `json:"concurrency_units_held"`
	SubHeld       int       `json:"sub_concurrency_held"`
}

// DeadStatus counts the org's dead letters.
type DeadStatus struct {
	Total   int            `json:"total"`
	Pending int            `json:"not_replayed"`
	ByCode  map[string]int `json:"by_code,omitempty"`
	Latest  []string       `json:"latest_ids,omitempty"`
}

// status reports on one org, or on every org when none is named. Each part
// that fails is reported in Problems instead of failing the whole answer.
func (h *Handler) status(ctx context.Context, req Request) (any, error) {
	if req.Org == "" && len(h.d.Config.Orgs) > 1 {
		names := make([]string, 0, len(h.d.Config.Orgs))
		for n := range h.d.Config.Orgs {
			names = append(names, n)
		}
		sort.Strings(names)
		var all []StatusAnswer
		for _, n := range names {
			all = append(all, h.orgStatus(ctx, n))
		}
		return all, nil
	}
	o, err := h.org(req.Org)
	if err != nil {
		return nil, err
	}
	return h.orgStatus(ctx, o.Name), nil
}

func (h *Handler) orgStatus(ctx context.Context, org string) StatusAnswer {
	a := StatusAnswer{Org: org}
	now := h.d.Now()
	if t, err := h.d.Tokens.Status(ctx, org); err != nil {
		a.Problems = append(a.Problems, "token: "+err.Error())
	} else {
		a.Token = TokenStatus{Connected: t.Connected, DataCenter: t.DataCenter, APIDomain: t.APIDomain,
			Expiry: t.Expiry, RecentMints: t.RecentMints, NextMint: t.NextMint, Reauth: t.Reauth}
		if !t.Minted.IsZero() {
			a.Token.AgeSeconds = int(now.Sub(t.Minted).Seconds())
		}
	}
	if c, err := h.d.Credits.Status(ctx, org); err != nil {
		a.Problems = append(a.Problems, "credits: "+err.Error())
	} else {
		a.Credits = CreditStatus{Budget: c.Budget, Used: c.Used, OtherApps: c.Inferred,
			CoolDownUntil: c.CoolDownUntil, UnitsHeld: c.Units, SubHeld: c.Sub}
		if c.ZohoRemaining >= 0 && !c.ZohoRemainingAt.IsZero() {
			n := c.ZohoRemaining
			a.Credits.ZohoRemaining = &n
		}
	}
	if h.d.QueueDepth != nil {
		if q, err := h.d.QueueDepth(ctx); err != nil {
			a.Problems = append(a.Problems, "queue: "+err.Error())
		} else {
			a.Queue = q
		}
	}
	if n, err := h.d.DeadLetters.Counts(ctx, org, time.Time{}); err != nil {
		a.Problems = append(a.Problems, "dead letters: "+err.Error())
	} else {
		a.DeadLetters = deadStatus(n)
	}
	if p, err := h.d.DeadLetters.List(ctx, dynamo.Query{Org: org, Limit: 5}); err == nil {
		for _, s := range p.Items {
			a.DeadLetters.Latest = append(a.DeadLetters.Latest, s.ID)
		}
	}
	return a
}

func deadStatus(c dynamo.Counts) DeadStatus {
	d := DeadStatus{Total: c.Total, Pending: c.Pending}
	if len(c.ByCode) > 0 {
		d.ByCode = map[string]int{}
		for code, t := range c.ByCode {
			d.ByCode[code] = t.Pending
		}
	}
	return d
}
