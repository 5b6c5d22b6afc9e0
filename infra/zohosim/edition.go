package zohosim

import (
	"fmt"
	"strings"
)

// edition holds one row of docs/ZOHO.md §4 (credits) and §5 (concurrency).
// See https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html.
type edition struct {
	name        string
	concurrency int
	base        int64
	perUser     int64
	cap         int64 // 0: no cap
}

var editions = map[string]edition{
	"free":         {name: "free", concurrency: 5, base: 5000, cap: 5000},
	"standard":     {name: "standard", concurrency: 10, base: 50000, perUser: 250, cap: 100000},
	"professional": {name: "professional", concurrency: 15, base: 50000, perUser: 500, cap: 3000000},
	"enterprise":   {name: "enterprise", concurrency: 20, base: 50000, perUser: 1000, cap: 5000000},
	"ultimate":     {name: "ultimate", concurrency: 25, base: 50000, perUser: 2000},
}

var editionAliases = map[string]string{
	"starter": "standard", "zohoone": "enterprise", "zoho_one": "enterprise",
	"crmplus": "ultimate", "crm_plus": "ultimate",
}

// lookupEdition resolves an edition name or alias, case-insensitively.
func lookupEdition(name string) (edition, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if alias, ok := editionAliases[key]; ok {
		key = alias
	}
	e, ok := editions[key]
	if !ok {
		return edition{}, fmt.Errorf("unknown edition %q (want free, standard, professional, enterprise or ultimate)", name)
	}
	return e, nil
}

// creditLimits returns the daily allowance without add-ons and with them.
func creditLimits(c Config, e edition) (base, total int64) {
	if c.DailyCredits > 0 {
		return c.DailyCredits, c.DailyCredits + c.AddOnCredits
	}
	b, per, limit := e.base, e.perUser, e.cap
	if c.CreditBase != 0 {
		b = c.CreditBase
	}
	if c.CreditPerUser != 0 {
		per = c.CreditPerUser
	}
	if c.CreditCap != 0 {
		limit = c.CreditCap
	}
	formula := b + per*int64(c.Users)
	base = formula
	total = formula + c.AddOnCredits
	if limit > 0 {
		base = min(base, limit)
		total = min(total, limit)
	}
	return base, total
}

// concurrencyLimit returns the in-flight limit for the configured edition.
func concurrencyLimit(c Config, e edition) int {
	if c.Concurrency > 0 {
		return c.Concurrency
	}
	return e.concurrency
}
