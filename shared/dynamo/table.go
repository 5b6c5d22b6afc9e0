package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Defaults for Options.
const (
	// DefaultClaimTTL covers the webhook senders' retry horizon: Stripe
	// retries for up to about three days, Typeform for ten hours, Shopify
	// for about four; a week leaves room for manual resends.
	DefaultClaimTTL = 7 * 24 * time.Hour
	// DefaultBlobTTL matches the events queue's message retention (14 days).
	DefaultBlobTTL = 14 * 24 * time.Hour
	// DefaultDeadLetterTTL keeps dead letters for a year.
	DefaultDeadLetterTTL = 365 * 24 * time.Hour
)

// Options tune a Table. Zero values take the defaults.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ClaimTTL is how long a delivery claim is remembered.
	ClaimTTL time.Duration
	// BlobTTL is how long a blob lives unless kept longer.
	BlobTTL time.Duration
	// DeadLetterTTL is how long a dead letter (and the blobs it needs) is
	// kept; a negative value keeps them until deleted.
	DeadLetterTTL time.Duration
}

// Table is zohosync's state table: a client, the table name and a clock.
// The item kinds of this package hang off it. A Table is safe for
// concurrent use; build one per container and share it.
type Table struct {
	api  API
	name string
	now  func() time.Time
	opt  Options

	claims *Claims
	blobs  *Blobs
	dead   *DeadLetters
}

// New returns the table name reached through api.
func New(api API, name string, opt Options) (*Table, error) {
	if api == nil {
		return nil, errors.New("dynamo: nil client")
	}
	if name == "" {
		return nil, errors.New("dynamo: empty table name")
	}
	if opt.ClaimTTL < 0 || opt.BlobTTL < 0 {
		return nil, errors.New("dynamo: negative claim or blob TTL")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ClaimTTL == 0 {
		opt.ClaimTTL = DefaultClaimTTL
	}
	if opt.BlobTTL == 0 {
		opt.BlobTTL = DefaultBlobTTL
	}
	if opt.DeadLetterTTL == 0 {
		opt.DeadLetterTTL = DefaultDeadLetterTTL
	}
	t := &Table{api: api, name: name, now: opt.Now, opt: opt}
	t.claims = &Claims{t: t, held: map[string]heldClaim{}}
	t.blobs = &Blobs{t: t}
	t.dead = &DeadLetters{t: t}
	return t, nil
}

// Name returns the table's name.
func (t *Table) Name() string { return t.name }

// Claims returns the table's delivery claims (one shared value).
func (t *Table) Claims() *Claims { return t.claims }

// Blobs returns the table's blob store.
func (t *Table) Blobs() *Blobs { return t.blobs }

// DeadLetters returns the table's dead-letter store.
func (t *Table) DeadLetters() *DeadLetters { return t.dead }

// deadLetterExpiry returns when a dead letter written now expires; zero
// means never.
func (t *Table) deadLetterExpiry(now time.Time) time.Time {
	if t.opt.DeadLetterTTL < 0 {
		return time.Time{}
	}
	return now.Add(t.opt.DeadLetterTTL)
}

// queryAll runs a query to its end, page by page.
func (t *Table) queryAll(ctx context.Context, in *dynamodb.QueryInput) ([]item, error) {
	var all []item
	for {
		out, err := t.api.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("query: %w", err)
		}
		all = append(all, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return all, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
