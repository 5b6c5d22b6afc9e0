package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/obs"
)

// Tidy rolls org's credit window (dropping buckets and inferred usage that
// left it, and a finished cool-down) and deletes slot items whose lease
// ended (a crashed holder's), each conditional on being unchanged since it
// was read. It emits SlotsFreed. The scheduled refresh calls it; the hot
// path never depends on it (expired slots are free either way).
func (l *Ledger) Tidy(ctx context.Context, org string) error {
	lim, err := l.limits(org)
	if err != nil {
		return err
	}
	s, err := l.read(ctx, org)
	if err != nil {
		return err
	}
	now := l.opt.Now()
	if s.exists && (s.needsRoll(l.ring, l.ring.bucket(now), now) || (!s.cool.IsZero() && !now.Before(s.cool))) {
		if _, err := l.roll(ctx, org, s, l.ring.bucket(now), now, lim); err != nil {
			return err
		}
	}
	taken, err := l.readSlots(ctx, org)
	if err != nil {
		return err
	}
	freed := 0
	var errs []error
	for _, sl := range taken {
		if now.Before(sl.until) {
			continue
		}
		ok, err := l.deleteDead(ctx, org, sl)
		if ok {
			freed++
		}
		errs = append(errs, err)
	}
	obs.Add(ctx, "SlotsFreed", obs.Count, float64(freed), obs.Org(org))
	return errors.Join(errs...)
}

// deleteDead deletes a slot whose lease ended, unless it changed since read.
func (l *Ledger) deleteDead(ctx context.Context, org string, sl slot) (bool, error) {
	_, err := l.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:           aws.String(l.opt.Table),
		Key:                 slotKey(org, sl.sk),
		ConditionExpression: aws.String("(slot_holder = :h AND lease_until = :u) OR attribute_not_exists(slot_holder)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":h": sAttr(sl.holder), ":u": msAttr(sl.until),
		},
	})
	if lostRace(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ledger: free dead slot of org %s: %w", org, err)
	}
	return true, nil
}

// Status is an org's ledger as stored.
type Status struct {
	Org    string
	Budget int
	// Used is the credits counted in the window: zohosync's own plus
	// Inferred (other apps' spending deduced from Zoho's remaining).
	Used     int
	Inferred int
	// ZohoRemaining is the last X-API-CREDITS-REMAINING that moved the
	// inferred usage (-1: none), seen at ZohoRemainingAt.
	ZohoRemaining   int
	ZohoRemainingAt time.Time
	CoolDownUntil   time.Time
	// Units and Sub count slots held under a live lease.
	Units int
	Sub   int
}

// Status reads org's credits and slots.
func (l *Ledger) Status(ctx context.Context, org string) (Status, error) {
	lim, err := l.limits(org)
	if err != nil {
		return Status{}, err
	}
	s, err := l.read(ctx, org)
	if err != nil {
		return Status{}, err
	}
	now := l.opt.Now()
	if s.exists {
		s = s.rolled(l.ring, l.ring.bucket(now), now)
	}
	cool, taken, err := l.look(ctx, org)
	if err != nil {
		return Status{}, err
	}
	st := Status{Org: org, Budget: lim.Budget, Used: int(s.total), Inferred: int(s.ext),
		ZohoRemaining: int(s.remaining), ZohoRemainingAt: s.remAt}
	if now.Before(cool) {
		st.CoolDownUntil = cool
	}
	st.Units = lim.Concurrency - len(freeSlots(poolMain, lim.Concurrency, taken, now))
	st.Sub = lim.Sub - len(freeSlots(poolSub, lim.Sub, taken, now))
	return st, nil
}
