package ledger

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/zohosync/zohosync/shared/core"
)

// DB is the part of the DynamoDB API the ledger uses. The SDK's
// *dynamodb.Client satisfies it; tests wrap it to inject faults.
type DB interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Options configure a Ledger. Zero values take the defaults named beside
// them.
type Options struct {
	// Table is the state table's name (required).
	Table string
	// Orgs are the limits per org (required; see LimitsFor).
	Orgs map[string]Limits
	// Bucket is the width of one usage bucket (default 15 min; must divide
	// 24 h). Usage leaves the window at most one bucket after Zoho frees it.
	Bucket time.Duration
	// Lease is how long an acquired slot stays held without Release
	// (default 60 s; keep it above the Zoho call timeout).
	Lease time.Duration
	// MaxAttempts bounds the writes one Reserve or Settle makes when it
	// loses races (default 8). Running out is a *core.Denied with a short
	// RetryAt. (Acquire makes at most two attempts; see AcquireWait.)
	MaxAttempts int
	// RetryAfter is the RetryAt offset of a concurrency denial (default
	// 250 ms, jittered).
	RetryAfter time.Duration
	// ReconcileStep: inferred usage by other apps is rewritten only when
	// it moves by at least this many credits (default: 0.5% of the
	// budget, at least 1).
	ReconcileStep int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Holder prefixes slot holder ids (default: random per Ledger).
	Holder string
}

// Defaults for Options.
const (
	DefaultBucket      = 15 * time.Minute
	DefaultLease       = 60 * time.Second
	DefaultMaxAttempts = 8
	DefaultRetryAfter  = 250 * time.Millisecond
)

// ErrUnknownOrg reports an org the ledger has no limits for.
var ErrUnknownOrg = errors.New("ledger: org has no limits configured")

// ErrExceedsLimit reports a request that can never be granted: more credits
// than the whole budget, or more slots than the share.
var ErrExceedsLimit = errors.New("ledger: request exceeds the org's limit")

// Ledger keeps each org's rolling credit budget and concurrency slots in
// the state table and implements core.Ledger. Build one per container; it
// is safe for concurrent use.
type Ledger struct {
	db     DB
	opt    Options
	ring   ring
	holder string
	seq    atomic.Uint64

	mu    sync.Mutex
	cache map[string]*state // last credits state seen per org
}

var _ core.Ledger = (*Ledger)(nil)

// New returns a Ledger over db.
func New(db DB, opt Options) (*Ledger, error) {
	if db == nil || opt.Table == "" {
		return nil, errors.New("ledger: a DynamoDB client and a table name are required")
	}
	if err := opt.fill(); err != nil {
		return nil, err
	}
	holder := opt.Holder
	if holder == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		holder = hex.EncodeToString(b[:])
	}
	return &Ledger{db: db, opt: opt, ring: newRing(opt.Bucket), holder: holder, cache: map[string]*state{}}, nil
}

func (o *Options) fill() error {
	if o.Bucket <= 0 {
		o.Bucket = DefaultBucket
	}
	if o.Bucket < time.Minute || window%o.Bucket != 0 {
		return fmt.Errorf("ledger: bucket %v must be at least a minute and divide 24h", o.Bucket)
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = DefaultRetryAfter
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	for org, l := range o.Orgs {
		if l.Budget <= 0 || l.Concurrency <= 0 || l.Sub < 0 || l.Share <= 0 || l.Share > 1 {
			return fmt.Errorf("ledger: org %s: limits %+v need a positive budget and concurrency and a share in (0,1]", org, l)
		}
	}
	return nil
}

func (l *Ledger) limits(org string) (Limits, error) {
	lim, ok := l.opt.Orgs[org]
	if !ok {
		return Limits{}, fmt.Errorf("%w: %s", ErrUnknownOrg, org)
	}
	return lim, nil
}

func (l *Ledger) cached(org string) *state {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := l.cache[org]; s != nil {
		return s.clone()
	}
	return nil
}

func (l *Ledger) remember(org string, s *state) {
	if s == nil || !s.exists {
		return
	}
	l.mu.Lock()
	if old := l.cache[org]; old == nil || old.ver <= s.ver {
		l.cache[org] = s.clone()
	}
	l.mu.Unlock()
}

// holderID returns a slot holder id unique to one Acquire (at most 36
// characters, so it also serves as the transaction's idempotency token).
func (l *Ledger) holderID() string {
	id := fmt.Sprintf("%s-%d", l.holder, l.seq.Add(1))
	if len(id) > 36 {
		id = id[len(id)-36:]
	}
	return id
}
