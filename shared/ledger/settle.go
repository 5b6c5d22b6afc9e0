package ledger

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ErrSettled reports a second Settle of one reservation.
var ErrSettled = errors.New("ledger: reservation already settled")

// reservation is credits taken by Reserve, charged to one bucket.
type reservation struct {
	l       *Ledger
	org     string
	credits int64
	bucket  int64
	settled atomic.Bool
}

// Settle gives back the credits not spent (spent < reserved) or charges the
// excess (spent > reserved), then, when remaining ≥ 0, reconciles with
// Zoho's X-API-CREDITS-REMAINING. It may be called once.
//
// Reconciliation rule: Zoho's remaining counts every app's spending. Of
// what Zoho says remains, zohosync allows itself only its share; when that
// is less than its own view allows (budget minus its own usage), the
// difference is recorded as usage by other apps ("ext"), which holds the
// budget down for the next 24 hours (the longest their spending can count).
// When Zoho later reports more room, the inferred usage shrinks again. So
// zohosync never plans to take more than credit_share of what is actually
// left, and with no other app spending the rule never binds.
func (r *reservation) Settle(ctx context.Context, spent, remaining int) error {
	if !r.settled.CompareAndSwap(false, true) {
		return ErrSettled
	}
	lim, err := r.l.limits(r.org)
	if err != nil {
		return err
	}
	if spent < 0 {
		spent = 0
	}
	var s *state
	switch delta := int64(spent) - r.credits; {
	case delta < 0 && r.bucket >= 0:
		s, err = r.l.refund(ctx, r.org, r.bucket, -delta)
	case delta > 0:
		_, err = r.l.charge(ctx, r.org, delta, lim, false)
	}
	if err != nil {
		return err
	}
	if remaining < 0 {
		return nil
	}
	return r.l.reconcile(ctx, r.org, int64(remaining), lim, s)
}

// refund takes n credits back out of bucket k, if that bucket is still in
// the window (otherwise they have been freed already).
func (l *Ledger) refund(ctx context.Context, org string, k, n int64) (*state, error) {
	i := l.ring.slot(k)
	out, err := l.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(l.opt.Table),
		Key:                 creditsKey(org),
		UpdateExpression:    aws.String(fmt.Sprintf("SET bucket_used[%d] = bucket_used[%d] - :n, used_total = used_total - :n, item_version = item_version + :one", i, i)),
		ConditionExpression: aws.String(fmt.Sprintf("head_bucket BETWEEN :k AND :last AND bucket_ms = :ms AND bucket_used[%d] >= :n", i)),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":n": nAttr(n), ":one": nAttr(1), ":k": nAttr(k), ":last": nAttr(k + l.ring.n - 1), ":ms": nAttr(l.ring.ms),
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	if _, lost := conditionLost(err); lost {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: refund credits of org %s: %w", org, err)
	}
	s := decodeState(out.Attributes)
	l.remember(org, s)
	return s, nil
}

// reconcile applies the rule documented on Settle, optimistic on the
// version attribute. s is the freshest state known (nil: read it).
func (l *Ledger) reconcile(ctx context.Context, org string, remaining int64, lim Limits, s *state) error {
	var err error
	for range l.opt.MaxAttempts {
		if s == nil {
			if s, err = l.read(ctx, org); err != nil {
				return err
			}
		}
		now := l.opt.Now()
		if s.needsRoll(l.ring, l.ring.bucket(now), now) {
			if s, err = l.roll(ctx, org, s, l.ring.bucket(now), now, lim); err != nil {
				return err
			}
			continue
		}
		ext := inferredExt(s, remaining, lim)
		if abs(ext-s.ext) < l.step(lim) {
			return nil
		}
		s, err = l.writeExt(ctx, org, s, ext, remaining, now)
		if err != nil || s == nil {
			return err
		}
	}
	return nil // lost every race: the next Settle reconciles again
}

// inferredExt is the usage by other apps that makes zohosync's headroom
// equal to its share of what Zoho says remains (never negative).
func inferredExt(s *state, remaining int64, lim Limits) int64 {
	own := s.total - s.ext
	headroom := int64(lim.Budget) - own
	allowed := int64(math.Floor(lim.Share * float64(remaining)))
	return max(headroom-allowed, 0)
}

func (l *Ledger) step(lim Limits) int64 {
	if l.opt.ReconcileStep > 0 {
		return int64(l.opt.ReconcileStep)
	}
	return max(int64(lim.Budget)/200, 1)
}

// writeExt stores new inferred usage if the item is still at s's version.
// It returns nil when the write succeeded, or the item as it now is.
func (l *Ledger) writeExt(ctx context.Context, org string, s *state, ext, remaining int64, now time.Time) (*state, error) {
	until := s.extUntil
	if ext > s.ext {
		until = now.Add(window + l.opt.Bucket)
	}
	if ext == 0 {
		until = time.Time{}
	}
	_, err := l.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(l.opt.Table),
		Key:                 creditsKey(org),
		UpdateExpression:    aws.String("SET ext_used = :e, ext_until = :u, used_total = :t, zoho_remaining = :r, zoho_remaining_at = :now, item_version = :nv"),
		ConditionExpression: aws.String("item_version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":e": nAttr(ext), ":u": msAttr(until), ":t": nAttr(s.total - s.ext + ext), ":r": nAttr(remaining),
			":now": msAttr(now), ":nv": nAttr(s.ver + 1), ":v": nAttr(s.ver),
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if fresh, lost := conditionLost(err); lost {
		return fresh, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: reconcile credits of org %s: %w", org, err)
	}
	n := s.clone()
	n.ext, n.extUntil, n.total, n.ver = ext, until, s.total-s.ext+ext, s.ver+1
	n.remaining, n.remAt = remaining, now
	l.remember(org, n)
	return nil, nil
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// CoolDown stops every worker of org until the given time, after a 429:
// Reserve and Acquire deny with RetryAt = until. A later cool-down extends
// an earlier one; an earlier one never shortens it.
func (l *Ledger) CoolDown(ctx context.Context, org string, until time.Time) error {
	_, err := l.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(l.opt.Table),
		Key:                 creditsKey(org),
		UpdateExpression:    aws.String("SET cool_until = :u, item_version = if_not_exists(item_version, :zero) + :one"),
		ConditionExpression: aws.String("attribute_not_exists(cool_until) OR cool_until < :u"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":u": msAttr(until), ":zero": nAttr(0), ":one": nAttr(1),
		},
	})
	if _, lost := conditionLost(err); err != nil && !lost {
		return fmt.Errorf("ledger: cool-down of org %s: %w", org, err)
	}
	l.mu.Lock()
	if s := l.cache[org]; s != nil && s.cool.Before(until) {
		s.cool = until
	}
	l.mu.Unlock()
	return nil
}
