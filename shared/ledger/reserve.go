package ledger

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
)

// Reserve takes credits for a whole plan from org's rolling 24-hour budget
// in one conditional write (see the package doc). A refusal is a
// *core.Denied: Reason "credits" with the time enough usage leaves the
// window, "cool-down" with its end, or "contention" with a short retry
// when the write lost too many races. A plan larger than the whole budget
// is ErrExceedsLimit.
func (l *Ledger) Reserve(ctx context.Context, org string, credits int) (core.Reservation, error) {
	lim, err := l.limits(org)
	if err != nil {
		return nil, err
	}
	switch {
	case credits < 0:
		return nil, fmt.Errorf("ledger: reserve %d credits: negative", credits)
	case credits > lim.Budget:
		return nil, fmt.Errorf("%w: %d credits, budget %d (org %s)", ErrExceedsLimit, credits, lim.Budget, org)
	case credits == 0:
		return &reservation{l: l, org: org, bucket: -1}, nil
	}
	k, err := l.charge(ctx, org, int64(credits), lim, true)
	if err != nil {
		var d *core.Denied
		if errors.As(err, &d) {
			obs.Add(ctx, "CreditsDenied", obs.Count, 1, obs.Org(org))
		}
		return nil, err
	}
	return &reservation{l: l, org: org, credits: int64(credits), bucket: k}, nil
}

// charge adds n credits to the newest bucket and returns that bucket. With
// enforce, the write is conditional on the budget and on no cool-down.
// Concurrent charges commute (an atomic add under a condition), so they do
// not conflict with each other; only rolls of the ring are optimistic on
// the version attribute.
func (l *Ledger) charge(ctx context.Context, org string, n int64, lim Limits, enforce bool) (int64, error) {
	s, fresh := l.cached(org), false
	var err error
	if s == nil {
		if s, err = l.read(ctx, org); err != nil {
			return 0, err
		}
		fresh = true
	}
	for attempt := 0; attempt < l.opt.MaxAttempts; attempt++ {
		now := l.opt.Now()
		cur := l.ring.bucket(now)
		switch {
		case enforce && now.Before(s.cool):
			return 0, &core.Denied{Reason: "cool-down", RetryAt: s.cool}
		case s.needsRoll(l.ring, cur, now):
			if s, err = l.roll(ctx, org, s, cur, now, lim); err != nil {
				return 0, err
			}
			fresh = true
			continue
		case enforce && s.total+n > int64(lim.Budget):
			if !fresh {
				if s, err = l.read(ctx, org); err != nil {
					return 0, err
				}
				fresh = true
				continue
			}
			return 0, &core.Denied{Reason: "credits", RetryAt: s.freeAt(l.ring, n, int64(lim.Budget))}
		}
		next, err := l.add(ctx, org, s.head, n, int64(lim.Budget), now, enforce)
		if err != nil {
			return 0, err
		}
		if next.applied {
			return s.head, nil
		}
		s, fresh = next.state, true
	}
	return 0, &core.Denied{Reason: "contention", RetryAt: l.opt.Now().Add(jitter(l.opt.RetryAfter))}
}

// addResult is the item after an add, and whether the add happened.
type addResult struct {
	state   *state
	applied bool
}

// add is the hot write: used[slot] += n and total += n, conditional on the
// ring's head still being bucket k and, with enforce, on the budget and the
// cool-down. A failed condition returns the item as it is.
func (l *Ledger) add(ctx context.Context, org string, k, n, budget int64, now time.Time, enforce bool) (addResult, error) {
	i := l.ring.slot(k)
	cond := "head_bucket = :h"
	vals := map[string]types.AttributeValue{":h": nAttr(k), ":n": nAttr(n), ":one": nAttr(1)}
	if enforce {
		cond += " AND used_total <= :max AND (attribute_not_exists(cool_until) OR cool_until <= :now)"
		vals[":max"], vals[":now"] = nAttr(budget-n), msAttr(now)
	}
	out, err := l.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                           aws.String(l.opt.Table),
		Key:                                 creditsKey(org),
		UpdateExpression:                    aws.String(fmt.Sprintf("SET bucket_used[%d] = bucket_used[%d] + :n, used_total = used_total + :n, item_version = item_version + :one", i, i)),
		ConditionExpression:                 aws.String(cond),
		ExpressionAttributeValues:           vals,
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if s, lost := conditionLost(err); lost {
		return addResult{state: s}, nil
	}
	if err != nil {
		return addResult{}, fmt.Errorf("ledger: reserve credits of org %s: %w", org, err)
	}
	s := decodeState(out.Attributes)
	l.remember(org, s)
	return addResult{state: s, applied: true}, nil
}

// roll rewrites the credits item moved to bucket cur, optimistic on the
// version attribute. It returns the item as written or, when another
// writer got there first, as that writer left it.
func (l *Ledger) roll(ctx context.Context, org string, s *state, cur int64, now time.Time, lim Limits) (*state, error) {
	n := s.rolled(l.ring, cur, now)
	if !n.cool.IsZero() && !now.Before(n.cool) {
		n.cool = time.Time{} // a finished cool-down is dropped
	}
	n.ver = s.ver + 1
	if err := l.putState(ctx, org, n, s.ver, lim); err != nil {
		if fresh, lost := conditionLost(err); lost {
			return fresh, nil
		}
		return nil, fmt.Errorf("ledger: roll credit window of org %s: %w", org, err)
	}
	l.remember(org, n)
	return n, nil
}

// putState writes the whole credits item if its version is still prevVer
// (or the item has none yet).
func (l *Ledger) putState(ctx context.Context, org string, n *state, prevVer int64, lim Limits) error {
	in := &dynamodb.PutItemInput{
		TableName:                           aws.String(l.opt.Table),
		Item:                                n.item(org, int64(lim.Budget)),
		ConditionExpression:                 aws.String("attribute_not_exists(item_version)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
	if prevVer > 0 {
		in.ConditionExpression = aws.String("item_version = :v")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":v": nAttr(prevVer)}
	}
	_, err := l.db.PutItem(ctx, in)
	return err
}

// read loads org's credits item consistently.
func (l *Ledger) read(ctx context.Context, org string) (*state, error) {
	out, err := l.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(l.opt.Table),
		Key:            creditsKey(org),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: read credits of org %s: %w", org, err)
	}
	s := decodeState(out.Item)
	l.remember(org, s)
	return s, nil
}

// conditionLost reports a failed write condition and decodes the item the
// failure returned (an empty state when there was none).
func conditionLost(err error) (*state, bool) {
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		return nil, false
	}
	return decodeState(ccf.Item), true
}

// jitter returns a duration between d/2 and d.
func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}
