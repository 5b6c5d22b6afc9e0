package ledger

import (
	"fmt"
	"math"
	"strings"

	"github.com/zohosync/zohosync/shared/config"
)

// Edition is one Zoho CRM edition's daily credit formula: Base + Users ×
// PerUser, at most Cap (0: no cap). Free editions have a flat Base.
//
// Source: Zoho CRM API limits, https://www.zoho.com/crm/developer/docs/api/api-limits.html
type Edition struct {
	Base    int
	PerUser int
	Cap     int
}

// Editions are the current formulas (docs/ZOHO.md §4). Caps have changed over the
// years (older pages show lower Professional and Enterprise caps), so
// Budget takes overrides.
var Editions = map[string]Edition{
	"free":         {Base: 5_000},
	"standard":     {Base: 50_000, PerUser: 250, Cap: 100_000},
	"professional": {Base: 50_000, PerUser: 500, Cap: 3_000_000},
	"enterprise":   {Base: 50_000, PerUser: 1_000, Cap: 5_000_000},
	"ultimate":     {Base: 50_000, PerUser: 2_000},
}

// DefaultSubShare is zohosync's default share of Zoho's sub-concurrency
// limit (10 concurrent "complex" calls, such as writes of more than 10
// records, per org).
const DefaultSubShare = 10

// Limits are what the ledger enforces for one org.
type Limits struct {
	// Budget is the credits zohosync may spend in any rolling 24 hours.
	Budget int
	// Share is the org's credit_share, used to reconcile with Zoho's
	// X-API-CREDITS-REMAINING (see Settle).
	Share float64
	// Concurrency is the concurrency units zohosync may hold at once.
	Concurrency int
	// Sub is the sub-concurrency slots zohosync may hold at once.
	Sub int
}

// DailyCredits returns an edition's daily credits without add-ons:
// min(Base + users × PerUser, Cap). caps, keyed by edition, replaces the
// edition's cap (a value ≤ 0 means no cap).
func DailyCredits(edition string, users int, caps map[string]int) (int, error) {
	name := strings.ToLower(edition)
	e, ok := Editions[name]
	if !ok {
		return 0, fmt.Errorf("ledger: unknown Zoho edition %q", edition)
	}
	if users < 0 {
		return 0, fmt.Errorf("ledger: negative user count %d", users)
	}
	if c, ok := caps[name]; ok {
		e.Cap = max(c, 0)
	}
	n := e.Base + users*e.PerUser
	if e.Cap > 0 && n > e.Cap {
		n = e.Cap
	}
	return n, nil
}

// Budget returns share × min(formula, cap) + share × add-ons, rounded down.
func Budget(edition string, users, addOns int, share float64, caps map[string]int) (int, error) {
	if share <= 0 || share > 1 || math.IsNaN(share) {
		return 0, fmt.Errorf("ledger: credit share %v outside (0,1]", share)
	}
	if addOns < 0 {
		return 0, fmt.Errorf("ledger: negative add-on credits %d", addOns)
	}
	daily, err := DailyCredits(edition, users, caps)
	if err != nil {
		return 0, err
	}
	return int(math.Floor(share*float64(daily) + share*float64(addOns))), nil
}

// LimitsFor derives an org's limits from its config entry. sub is the
// sub-concurrency share (≤ 0: DefaultSubShare).
func LimitsFor(o *config.Org, caps map[string]int, sub int) (Limits, error) {
	b, err := Budget(o.Edition, o.Users, o.AddOnCredits, o.CreditShare, caps)
	if err != nil {
		return Limits{}, fmt.Errorf("org %s: %w", o.Name, err)
	}
	if o.ConcurrencyShare <= 0 {
		return Limits{}, fmt.Errorf("ledger: org %s: concurrency share %d must be positive", o.Name, o.ConcurrencyShare)
	}
	if sub <= 0 {
		sub = DefaultSubShare
	}
	return Limits{Budget: b, Share: o.CreditShare, Concurrency: o.ConcurrencyShare, Sub: sub}, nil
}
