package ledger

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
)

// slots are the slot items one Acquire holds.
type slots struct {
	l        *Ledger
	org      string
	holder   string
	sks      []string
	released atomic.Bool
}

// Release frees the slots, each conditional on still being held by this
// holder (a slot taken over after its lease ended is left alone). A second
// Release does nothing.
func (s *slots) Release(ctx context.Context) error {
	if len(s.sks) == 0 || !s.released.CompareAndSwap(false, true) {
		return nil
	}
	errs := make([]error, len(s.sks))
	var wg sync.WaitGroup
	for i, sk := range s.sks {
		wg.Go(func() { errs[i] = s.l.free(ctx, s.org, sk, s.holder) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// free deletes one slot item if holder still holds it, retrying a conflict
// with a transaction in flight on the item.
func (l *Ledger) free(ctx context.Context, org, sk, holder string) error {
	var err error
	for range l.opt.MaxAttempts {
		_, err = l.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName:                 aws.String(l.opt.Table),
			Key:                       slotKey(org, sk),
			ConditionExpression:       aws.String("slot_holder = :h"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":h": sAttr(holder)},
		})
		var conflict *types.TransactionConflictException
		if !errors.As(err, &conflict) {
			break
		}
	}
	var ccf *types.ConditionalCheckFailedException
	if err == nil || errors.As(err, &ccf) {
		return nil
	}
	return fmt.Errorf("ledger: release slot %s of org %s: %w", strings.TrimPrefix(sk, "slot#"), org, err)
}

// AcquireWait is Acquire that waits for slots: on a denial it sleeps and
// tries again, until ctx ends. The first waits follow the refusal's
// RetryAt; while slots stay busy the wait doubles, up to maxPoll, with
// jitter, so a crowd of waiters does not poll the table in step. A
// cool-down is waited out to its end. It gives up at once when RetryAt
// lies beyond ctx's deadline. When ctx ends, the error joins ctx's error
// and the last *core.Denied; other errors return immediately.
func (l *Ledger) AcquireWait(ctx context.Context, org string, units, sub int) (core.Slots, error) {
	var last error
	for attempt := 0; ; attempt++ {
		held, err := l.Acquire(ctx, org, units, sub)
		var d *core.Denied
		if !errors.As(err, &d) {
			if err != nil && ctx.Err() != nil && last != nil {
				// The context ended during a look: report the last refusal.
				return nil, errors.Join(ctx.Err(), last)
			}
			return held, err
		}
		last = err
		if dl, ok := ctx.Deadline(); ok && d.RetryAt.After(dl) {
			return nil, err
		}
		t := time.NewTimer(pollWait(d, l.opt.Now(), attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, errors.Join(ctx.Err(), err)
		case <-t.C:
		}
	}
}

// maxPoll bounds the wait between two looks for free slots.
const maxPoll = time.Second

// pollWait is the wait before the next Acquire after denial d.
func pollWait(d *core.Denied, now time.Time, attempt int) time.Duration {
	wait := max(d.RetryAt.Sub(now), 10*time.Millisecond)
	if d.Reason == "cool-down" {
		return wait
	}
	wait = min(wait<<min(attempt, 6), maxPoll)
	return jitter(wait) + wait/4
}
