package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"golang.org/x/oauth2"

	"github.com/zohosync/zohosync/shared/core"
)

// DB is the part of the DynamoDB API the token store uses. The SDK's
// *dynamodb.Client satisfies it; tests wrap it to inject faults.
type DB interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

// Client is one org's Zoho OAuth self-client with its secret already
// resolved. Never log it.
type Client struct {
	ID     string
	Secret string
}

// Options configure a Store. Zero durations and counts take the defaults
// named beside them.
type Options struct {
	// Table is the state table's name (required).
	Table string
	// Clients returns an org's resolved client credentials (required for
	// Token; Connect takes them as arguments).
	Clients func(ctx context.Context, org string) (Client, error)
	// AccountsURLs overrides the accounts server per org (the config's
	// accounts_url, e.g. a simulator). The stored accounts server is used
	// for orgs not named here.
	AccountsURLs map[string]string

	// Margin: Token hands out a token only while it has at least this much
	// life left (default 5 min; halved lifetime for short-lived tokens).
	Margin time.Duration
	// MintLimit is the most tokens minted per refresh token per MintWindow
	// (default 8, below Zoho's 10 so a person's tool still has room).
	MintLimit  int
	MintWindow time.Duration // default 10 min, Zoho's window
	// DeniedHold is how long minting pauses after Zoho answers Access
	// Denied (default 2 min).
	DeniedHold time.Duration
	// Lease is how long a refresher holds the refresh lease before others
	// may take it over (default 30 s; at least RefreshTimeout + 5 s).
	Lease time.Duration
	// RefreshTimeout bounds one call to the token endpoint (default 10 s).
	RefreshTimeout time.Duration
	// MaxWait bounds how long Token waits for another worker's refresh
	// before returning ErrRefreshBusy (default 20 s).
	MaxWait time.Duration

	// HTTPClient calls the token endpoint (default: a client whose timeout
	// is RefreshTimeout).
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Owner prefixes lease owner ids (default: random per Store).
	Owner string
}

// Defaults for Options.
const (
	DefaultMargin         = 5 * time.Minute
	DefaultMintLimit      = 8
	DefaultMintWindow     = 10 * time.Minute
	DefaultDeniedHold     = 2 * time.Minute
	DefaultLease          = 30 * time.Second
	DefaultRefreshTimeout = 10 * time.Second
	DefaultMaxWait        = 20 * time.Second
	// DefaultLifetime is assumed when the token endpoint states none
	// (Zoho access tokens live one hour).
	DefaultLifetime = time.Hour
)

// Store keeps each org's Zoho tokens in the state table and implements
// core.Tokens. Build one per container (it holds the OAuth configuration,
// the HTTP client and a cache of valid tokens); it is safe for concurrent
// use.
type Store struct {
	db    DB
	opt   Options
	base  context.Context
	owner string
	seq   atomic.Uint64

	mu      sync.Mutex
	cache   map[string]cachedToken
	configs map[configKey]*oauth2.Config
	locks   map[string]chan struct{}
}

var _ core.Tokens = (*Store)(nil)

type cachedToken struct {
	tok    core.Token
	minted time.Time
}

type configKey struct{ url, id, secret string }

// New returns a Store over db. The OAuth configuration and HTTP client live
// as long as the Store, so build it once per container, outside handlers.
func New(db DB, opt Options) (*Store, error) {
	if db == nil || opt.Table == "" {
		return nil, errors.New("auth: a DynamoDB client and a table name are required")
	}
	if err := opt.fill(); err != nil {
		return nil, err
	}
	owner := opt.Owner
	if owner == "" {
		owner = randomID()
	}
	return &Store{
		db:      db,
		opt:     opt,
		base:    context.WithValue(context.Background(), oauth2.HTTPClient, opt.HTTPClient),
		owner:   owner,
		cache:   map[string]cachedToken{},
		configs: map[configKey]*oauth2.Config{},
		locks:   map[string]chan struct{}{},
	}, nil
}

func (o *Options) fill() error {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Margin, DefaultMargin)
	def(&o.MintWindow, DefaultMintWindow)
	def(&o.DeniedHold, DefaultDeniedHold)
	def(&o.Lease, DefaultLease)
	def(&o.RefreshTimeout, DefaultRefreshTimeout)
	def(&o.MaxWait, DefaultMaxWait)
	if o.MintLimit <= 0 {
		o.MintLimit = DefaultMintLimit
	}
	if o.MintLimit > 10 {
		return fmt.Errorf("auth: mint limit %d above Zoho's 10 per window", o.MintLimit)
	}
	if o.Lease < o.RefreshTimeout+5*time.Second {
		return fmt.Errorf("auth: lease %v must exceed the refresh timeout %v by 5s", o.Lease, o.RefreshTimeout)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: o.RefreshTimeout}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// nextOwner returns a lease owner id unique to one refresh attempt.
func (s *Store) nextOwner() string {
	return fmt.Sprintf("%s-%d", s.owner, s.seq.Add(1))
}

func randomID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("t%d", time.Now().UnixNano())
	}
	return hex.EncodeToString(b[:])
}

// oauthConfig returns the per-container OAuth configuration of one client at
// one accounts server, building it on first use.
func (s *Store) oauthConfig(accountsURL string, c Client) *oauth2.Config {
	k := configKey{accountsURL, c.ID, c.Secret}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cfg := s.configs[k]; cfg != nil {
		return cfg
	}
	cfg := &oauth2.Config{
		ClientID:     c.ID,
		ClientSecret: c.Secret,
		Endpoint: oauth2.Endpoint{
			TokenURL:  tokenURL(accountsURL),
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
	s.configs[k] = cfg
	return cfg
}

// accountsURL picks the accounts server for an org: the override, if any,
// else the one stored at connect time.
func (s *Store) accountsURL(org, stored string) string {
	if u := s.opt.AccountsURLs[org]; u != "" {
		return u
	}
	return stored
}
