package zohosim

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Sim is one simulated Zoho CRM org, reachable through every configured data
// centre: records, credits and concurrency are shared by all of them, while
// tokens work only on the data centre that minted them. Its methods are safe
// for concurrent use.
type Sim struct {
	cfg      Config
	schema   *schema
	loc      *time.Location
	user     userRef
	clock    *clock
	ids      idGen
	store    *store
	tokens   *tokenStore
	ledger   *ledger
	limiter  *limiter
	faults   *faultSet
	stats    *counters
	rng      *lockedRand
	latency  *latencySet
	tokenTTL atomic.Int64

	mu  sync.Mutex // guards srv
	srv *Server
}

// userRef is the API user as records show it (Created_By, Owner ...).
type userRef struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

// New validates cfg, loads the schema and returns a Sim that is not yet
// listening; call Start.
func New(cfg Config) (*Sim, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("zohosim: config: %w", err)
	}
	ed, _ := lookupEdition(cfg.Edition)
	sch, err := loadSchema(cfg.SchemaFiles, cfg.Pipeline)
	if err != nil {
		return nil, fmt.Errorf("zohosim: %w", err)
	}
	loc, err := loadLocation(cfg.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("zohosim: time_zone: %w", err)
	}
	s := newSim(cfg, ed, sch, loc)
	if err := s.seed(cfg); err != nil {
		return nil, fmt.Errorf("zohosim: %w", err)
	}
	return s, nil
}

func newSim(cfg Config, ed edition, sch *schema, loc *time.Location) *Sim {
	base, total := creditLimits(cfg, ed)
	s := &Sim{
		cfg:     cfg,
		schema:  sch,
		loc:     loc,
		user:    userRef{Name: cfg.UserName, ID: systemID(7)},
		clock:   newClock(cfg.Clock),
		store:   newStore(sch, cfg.Unconfirmed.CaseSensitiveMatch),
		tokens:  newTokenStore(cfg),
		ledger:  newLedger(base, total),
		limiter: newLimiter(concurrencyLimit(cfg, ed), cfg.SubConcurrency),
		faults:  newFaultSet(),
		stats:   newCounters(cfg.LogLimit),
		rng:     newLockedRand(cfg.Seed),
		latency: newLatencySet(cfg.Latency),
	}
	s.tokenTTL.Store(int64(cfg.AccessTokenTTL))
	return s
}

// seed installs the configured clients, refresh tokens and faults.
func (s *Sim) seed(cfg Config) error {
	for i, c := range cfg.Clients {
		if err := s.AddClient(c.DC, c.ClientID, c.ClientSecret); err != nil {
			return fmt.Errorf("clients[%d]: %w", i, err)
		}
		if c.RefreshToken != "" {
			if err := s.AddRefreshToken(c.DC, c.ClientID, c.RefreshToken, c.Scope); err != nil {
				return fmt.Errorf("clients[%d]: %w", i, err)
			}
		}
	}
	for _, f := range cfg.Faults {
		if _, err := s.AddFault(f); err != nil {
			return err
		}
	}
	return nil
}

func loadLocation(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	return time.LoadLocation(name)
}

// Now returns the simulator's current time.
func (s *Sim) Now() time.Time { return s.clock.now() }

// SetClock replaces the time source (nil restores time.Now) and clears any
// Advance offset.
func (s *Sim) SetClock(now func() time.Time) { s.clock.set(now) }

// Advance moves the simulator's clock forward by d.
func (s *Sim) Advance(d time.Duration) { s.clock.advance(d) }

// SetAccessTokenTTL changes the lifetime of access tokens minted from now on.
func (s *Sim) SetAccessTokenTTL(d time.Duration) {
	if d <= 0 {
		d = time.Hour
	}
	s.tokenTTL.Store(int64(d))
}

// Reset drops every record, the credit usage, counters, the request log and
// all faults. Clients and tokens stay valid, so a test can go on with the
// same credentials.
func (s *Sim) Reset() {
	s.store.mu.Lock()
	s.store.reset()
	s.store.mu.Unlock()
	s.ledger.reset()
	s.limiter.resetMax()
	s.stats.reset()
	s.faults.clear()
	s.tokens.resetMints()
}

// formatTime renders t in the org's time zone, as Zoho does.
func (s *Sim) formatTime(t time.Time) string { return t.In(s.loc).Format(zohoTimeLayout) }
