package zohosim

import (
	"encoding/json"
	"fmt"
	"net"
	"time"
)

// Config describes the simulated org. The zero value is valid: an Enterprise
// org with one user, every data centre on a free loopback port, no latency
// and no faults.
type Config struct {
	// Edition is free, standard (or starter), professional, enterprise (or
	// zohoone) or ultimate (or crmplus). Empty means enterprise.
	Edition string `json:"edition,omitempty"`
	// Users is the number of licensed users in the credit formula; 0 means 1.
	Users int `json:"users,omitempty"`
	// AddOnCredits are purchased credits added to the daily allowance.
	AddOnCredits int64 `json:"add_on_credits,omitempty"`
	// DailyCredits, when positive, replaces the edition formula and cap
	// (add-ons still count on top).
	DailyCredits int64 `json:"daily_credits,omitempty"`
	// CreditBase, CreditPerUser and CreditCap replace the edition's formula
	// terms when non-zero; a negative CreditCap means no cap. docs/ZOHO.md §4 lists
	// older figures that these reproduce.
	CreditBase    int64 `json:"credit_base,omitempty"`
	CreditPerUser int64 `json:"credit_per_user,omitempty"`
	CreditCap     int64 `json:"credit_cap,omitempty"`
	// Concurrency replaces the edition's in-flight limit when positive.
	Concurrency int `json:"concurrency,omitempty"`
	// SubConcurrency replaces the shared limit of 10 for complex calls when
	// positive.
	SubConcurrency int `json:"sub_concurrency,omitempty"`

	// DataCenters lists the data centres to serve; empty means all of
	// us, eu, in, au, jp, ca, sa, cn and uk.
	DataCenters []string `json:"data_centers,omitempty"`
	// Listen maps a data centre to a listen address; the default is
	// 127.0.0.1:0. Only loopback addresses are accepted.
	Listen map[string]string `json:"listen,omitempty"`

	// AccessTokenTTL is the lifetime of access tokens; 0 means one hour.
	AccessTokenTTL time.Duration `json:"access_token_ttl,omitempty"`
	// GrantCodeTTL is the lifetime of grant codes; 0 means three minutes.
	GrantCodeTTL time.Duration `json:"grant_code_ttl,omitempty"`
	// MaxLiveTokens is the number of live access tokens per refresh token
	// (the next mint evicts the oldest); 0 means 15.
	MaxLiveTokens int `json:"max_live_tokens,omitempty"`
	// MintLimit access tokens may be minted per refresh token within
	// MintWindow; 0 means 10 per 10 minutes.
	MintLimit  int           `json:"mint_limit,omitempty"`
	MintWindow time.Duration `json:"mint_window,omitempty"`
	// MaxRefreshTokens is the number of refresh tokens the one API user may
	// hold per data centre (the next evicts the oldest); 0 means 20.
	MaxRefreshTokens int `json:"max_refresh_tokens,omitempty"`
	// DefaultScope is the scope of seeded refresh tokens and of grant codes
	// issued without one; empty means
	// "ZohoCRM.modules.ALL ZohoCRM.composite_requests.CUSTOM".
	DefaultScope string `json:"default_scope,omitempty"`
	// Clients are registered at New, optionally with a refresh token.
	Clients []ClientSeed `json:"clients,omitempty"`

	// SchemaFiles name JSON schema files whose fields are added to (or
	// replace) the embedded standard schema, in order.
	SchemaFiles []string `json:"schema_files,omitempty"`
	// Pipeline makes Deals carry a mandatory Pipeline picklist, as in orgs
	// that enabled pipelines.
	Pipeline bool `json:"pipeline,omitempty"`

	// TimeZone is the org's IANA time zone for record times; empty means UTC.
	TimeZone string `json:"time_zone,omitempty"`
	// UserName is the API user's display name; empty means "Integration User".
	UserName string `json:"user_name,omitempty"`
	// Clock replaces time.Now for token expiry, credits, record times and
	// fault windows (latency still sleeps in real time).
	Clock func() time.Time `json:"-"`
	// Seed seeds the random source of latency and rate-based faults; 0 picks
	// a fixed default so runs are reproducible.
	Seed uint64 `json:"seed,omitempty"`

	// Latency sets a latency model per endpoint class.
	Latency Latencies `json:"latency,omitempty"`
	// Faults are installed at New.
	Faults []Fault `json:"faults,omitempty"`
	// LogLimit is the number of request-log entries kept (oldest dropped);
	// 0 means 10000, negative disables the log.
	LogLimit int `json:"log_limit,omitempty"`
	// MaxBodyBytes caps request bodies; 0 means 8 MiB.
	MaxBodyBytes int64 `json:"max_body_bytes,omitempty"`

	// Unconfirmed holds the choices for behaviour docs/ZOHO.md marks UNCONFIRMED.
	Unconfirmed Unconfirmed `json:"unconfirmed,omitempty"`
}

// ClientSeed registers an OAuth client in one data centre and, when
// RefreshToken is set, a refresh token for it.
type ClientSeed struct {
	DC           string `json:"dc"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// Unconfirmed collects the settings for points that no stored source
// confirms. Each zero value is the documented default.
type Unconfirmed struct {
	// AcceptBearer accepts "Authorization: Bearer <token>" as well as the
	// documented "Zoho-oauthtoken" scheme. Default: rejected with 401
	// INVALID_TOKEN, as one third-party note reports.
	AcceptBearer bool `json:"accept_bearer,omitempty"`
	// AccessDeniedStatus is the HTTP status of the token endpoint's
	// "Access Denied" throttle body. Default 200, like the other token errors.
	AccessDeniedStatus int `json:"access_denied_status,omitempty"`
	// ChargeRequestErrors makes request-level 4xx answers after
	// authentication cost one credit. Default: they cost nothing, while
	// per-record failures inside a write always cost their records' credits.
	ChargeRequestErrors bool `json:"charge_request_errors,omitempty"`
	// UpsertInsertStatus is the status of an upsert whose records were all
	// inserted. Default 200 (the OAS declares 200 only).
	UpsertInsertStatus int `json:"upsert_insert_status,omitempty"`
	// CompositeSomeFailedStatus is the status of a composite without
	// rollback whose sub-requests were all triggered but some answered an
	// error. Default 200, as Zoho's composite page says; the assembled
	// sample 207-composite-mixed.json shows 207.
	CompositeSomeFailedStatus int `json:"composite_some_failed_status,omitempty"`
	// JSONPathFromVersion is the first API version whose record errors carry
	// json_path. Default 3 (v2-era bodies were seen without it).
	JSONPathFromVersion int `json:"json_path_from_version,omitempty"`
	// AllowSystemDuplicateOnInsert lets a plain insert create a record whose
	// system duplicate-check field (Email, Account_Name ...) matches an
	// existing one. Default: DUPLICATE_DATA, as the documented 207 sample
	// shows for a Lead's Email.
	AllowSystemDuplicateOnInsert bool `json:"allow_system_duplicate_on_insert,omitempty"`
	// CaseSensitiveMatch compares text and e-mail values case-sensitively in
	// duplicate checks and upsert matching. Default: case-insensitive.
	CaseSensitiveMatch bool `json:"case_sensitive_match,omitempty"`
	// ConcurrencyKey chooses what the in-flight limits count per: "org"
	// (default: one counter for the org) or "client" (per OAuth client, that
	// is per app).
	ConcurrencyKey string `json:"concurrency_key,omitempty"`
}

const (
	defaultUserName = "Integration User"
	defaultScope    = "ZohoCRM.modules.ALL ZohoCRM.composite_requests.CUSTOM"
	defaultLogLimit = 10000
	defaultMaxBody  = 8 << 20
)

// withDefaults returns a copy of c with every zero default filled in.
func (c Config) withDefaults() Config {
	if c.Edition == "" {
		c.Edition = "enterprise"
	}
	if c.Users <= 0 {
		c.Users = 1
	}
	if len(c.DataCenters) == 0 {
		c.DataCenters = allDataCenters()
	}
	c.AccessTokenTTL = orDuration(c.AccessTokenTTL, time.Hour)
	c.GrantCodeTTL = orDuration(c.GrantCodeTTL, 3*time.Minute)
	c.MintWindow = orDuration(c.MintWindow, 10*time.Minute)
	c.MaxLiveTokens = orInt(c.MaxLiveTokens, 15)
	c.MintLimit = orInt(c.MintLimit, 10)
	c.MaxRefreshTokens = orInt(c.MaxRefreshTokens, 20)
	c.SubConcurrency = orInt(c.SubConcurrency, 10)
	if c.DefaultScope == "" {
		c.DefaultScope = defaultScope
	}
	if c.UserName == "" {
		c.UserName = defaultUserName
	}
	if c.LogLimit == 0 {
		c.LogLimit = defaultLogLimit
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = defaultMaxBody
	}
	c.Unconfirmed = c.Unconfirmed.withDefaults()
	return c
}

func (u Unconfirmed) withDefaults() Unconfirmed {
	u.AccessDeniedStatus = orInt(u.AccessDeniedStatus, 200)
	u.UpsertInsertStatus = orInt(u.UpsertInsertStatus, 200)
	u.CompositeSomeFailedStatus = orInt(u.CompositeSomeFailedStatus, 200)
	u.JSONPathFromVersion = orInt(u.JSONPathFromVersion, 3)
	if u.ConcurrencyKey == "" {
		u.ConcurrencyKey = "org"
	}
	return u
}

// validate reports the first setting that cannot work.
func (c Config) validate() error {
	if _, err := lookupEdition(c.Edition); err != nil {
		return err
	}
	for _, dc := range c.DataCenters {
		if !knownDataCenter(dc) {
			return fmt.Errorf("unknown data centre %q", dc)
		}
	}
	for dc, addr := range c.Listen {
		if !knownDataCenter(dc) {
			return fmt.Errorf("listen: unknown data centre %q", dc)
		}
		if err := checkLoopback(addr); err != nil {
			return fmt.Errorf("listen %s: %w", dc, err)
		}
	}
	switch c.Unconfirmed.ConcurrencyKey {
	case "org", "client":
	default:
		return fmt.Errorf("unconfirmed.concurrency_key %q: want org or client", c.Unconfirmed.ConcurrencyKey)
	}
	if err := c.Latency.validate(); err != nil {
		return err
	}
	for i, f := range c.Faults {
		if err := f.validate(); err != nil {
			return fmt.Errorf("faults[%d]: %w", i, err)
		}
	}
	return nil
}

// checkLoopback accepts host:port where host is a loopback IP address.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bad address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("address %q is not a loopback IP (use 127.0.0.1)", addr)
	}
	return nil
}

// UnmarshalJSON reads a Config whose durations are strings such as "90s".
func (c *Config) UnmarshalJSON(b []byte) error {
	type plain Config
	aux := struct {
		*plain
		AccessTokenTTL jsonDuration `json:"access_token_ttl"`
		GrantCodeTTL   jsonDuration `json:"grant_code_ttl"`
		MintWindow     jsonDuration `json:"mint_window"`
	}{plain: (*plain)(c)}
	if err := strictUnmarshal(b, &aux); err != nil {
		return err
	}
	c.AccessTokenTTL = time.Duration(aux.AccessTokenTTL)
	c.GrantCodeTTL = time.Duration(aux.GrantCodeTTL)
	c.MintWindow = time.Duration(aux.MintWindow)
	return nil
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orDuration(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

// jsonDuration reads "1.5s"-style strings (or integer nanoseconds) and
// writes strings.
type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		*d = jsonDuration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration %s: want a string such as \"30s\"", b)
	}
	*d = jsonDuration(n)
	return nil
}
