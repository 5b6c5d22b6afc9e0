package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
)

// Token returns an access token for org with at least the margin of life
// left. A still-valid token cached by this Store is returned without any
// I/O; otherwise the stored token is read consistently and, when it is too
// old, refreshed through the fleet-wide refresh lease (see the package doc).
// Errors: ErrNotConnected, ErrReauthorize, *MintLimitError, ErrRefreshBusy,
// or a wrapped DynamoDB or token-endpoint failure.
func (s *Store) Token(ctx context.Context, org string) (core.Token, error) {
	if t, ok := s.cached(org, s.opt.Margin); ok {
		return t, nil
	}
	unlock, err := s.lock(ctx, org)
	if err != nil {
		return core.Token{}, err
	}
	defer unlock()
	if t, ok := s.cached(org, s.opt.Margin); ok {
		return t, nil
	}
	return s.obtain(ctx, org, s.opt.Margin, false)
}

// obtain returns a token usable for margin, refreshing through the lease
// when needed. With retryReauth an org marked for re-authorisation still
// gets one refresh attempt (the scheduled refresh uses this).
func (s *Store) obtain(ctx context.Context, org string, margin time.Duration, retryReauth bool) (core.Token, error) {
	giveUp := time.Now().Add(s.opt.MaxWait)
	var it *item
	for attempt := 0; ; attempt++ {
		if attempt > maxRounds {
			return core.Token{}, fmt.Errorf("auth: org %s: %w", org, ErrRefreshBusy)
		}
		if it == nil {
			var err error
			if it, err = s.load(ctx, org); err != nil {
				return core.Token{}, err
			}
		}
		now := s.opt.Now()
		switch {
		case it.Reauth != "" && !retryReauth:
			return core.Token{}, fmt.Errorf("auth: org %s: %w", org, ErrReauthorize)
		case now.Before(it.usableUntil(margin)):
			s.remember(org, it)
			return it.token(), nil
		case it.leaseLive(now):
			if time.Now().After(giveUp) {
				return core.Token{}, fmt.Errorf("auth: org %s: %w", org, ErrRefreshBusy)
			}
			if err := sleep(ctx, backoff(attempt)); err != nil {
				return core.Token{}, fmt.Errorf("auth: wait for refresh of org %s: %w", org, err)
			}
			it = nil
			continue
		}
		if next, byZoho := it.nextMint(now, s.opt.MintLimit, s.opt.MintWindow); !next.IsZero() {
			if now.Before(it.Expiry) && !retryReauth {
				// Less margin than asked, but better than no token.
				return it.token(), nil
			}
			return core.Token{}, &MintLimitError{Org: org, NextAt: next, Zoho: byZoho}
		}
		owner := s.nextOwner()
		held, err := s.takeLease(ctx, org, it, owner, now)
		if err != nil {
			return core.Token{}, err
		}
		if held == nil || held.LeaseOwner != owner {
			it = held // someone else changed the item: look again
			continue
		}
		return s.refreshHeld(ctx, org, held, owner)
	}
}

// maxRounds bounds the reads and lease attempts of one obtain call, as a
// guard besides MaxWait.
const maxRounds = 200

// load reads org's token item consistently.
func (s *Store) load(ctx context.Context, org string) (*item, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.opt.Table),
		Key:            tokenKey(org),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("auth: read token of org %s: %w", org, err)
	}
	it := decodeItem(out.Item)
	if it == nil || it.Refresh == "" {
		return nil, fmt.Errorf("auth: org %s: %w", org, ErrNotConnected)
	}
	return it, nil
}

// takeLease claims the refresh lease with one conditional write: the fence
// must still be the one read and no live lease may exist. It returns the
// item as written (lease held by owner) or, when the condition failed, the
// item as it now is (nil if unknown).
func (s *Store) takeLease(ctx context.Context, org string, it *item, owner string, now time.Time) (*item, error) {
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(s.opt.Table),
		Key:                 tokenKey(org),
		UpdateExpression:    aws.String("SET lease_owner = :o, lease_until = :u, fence = :nf"),
		ConditionExpression: aws.String("fence = :f AND (attribute_not_exists(lease_until) OR lease_until <= :now)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":o":   sAttr(owner),
			":u":   msAttr(now.Add(s.opt.Lease)),
			":nf":  nAttr(it.Fence + 1),
			":f":   nAttr(it.Fence),
			":now": msAttr(now),
		},
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return decodeItem(ccf.Item), nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: take refresh lease of org %s: %w", org, err)
	}
	return decodeItem(out.Attributes), nil
}

func (it *item) token() core.Token {
	return core.Token{Access: it.Access, APIDomain: it.APIDomain, Expiry: it.Expiry}
}

// backoff is the wait before the n-th look at another worker's refresh:
// 25 ms doubling to 400 ms, with jitter so waiters do not poll in step.
func backoff(n int) time.Duration {
	d := 25 * time.Millisecond << min(n, 4)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// lock serialises the slow path per org within this Store, so goroutines of
// one container wait for one refresh instead of polling the table.
func (s *Store) lock(ctx context.Context, org string) (func(), error) {
	s.mu.Lock()
	ch := s.locks[org]
	if ch == nil {
		ch = make(chan struct{}, 1)
		s.locks[org] = ch
	}
	s.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("auth: wait for token of org %s: %w", org, ctx.Err())
	}
}

// cached returns this container's copy of org's token while it has at least
// margin left.
func (s *Store) cached(org string, margin time.Duration) (core.Token, bool) {
	s.mu.Lock()
	c, ok := s.cache[org]
	s.mu.Unlock()
	if !ok || !s.opt.Now().Before(usableUntil(c.tok.Expiry, c.minted, margin)) {
		return core.Token{}, false
	}
	return c.tok, true
}

func (s *Store) remember(org string, it *item) {
	s.mu.Lock()
	s.cache[org] = cachedToken{tok: it.token(), minted: it.Minted}
	s.mu.Unlock()
}

// forget drops the cached token of org if it is access (or any, when access
// is empty).
func (s *Store) forget(org, access string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cache[org]
	if ok && (access == "" || subtle.ConstantTimeCompare([]byte(c.tok.Access), []byte(access)) == 1) {
		delete(s.cache, org)
	}
}
