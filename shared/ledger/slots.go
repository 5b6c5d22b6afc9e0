package ledger

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
)

// The two slot pools: concurrency units, and Zoho's shared sub-concurrency
// for complex calls.
const (
	poolMain = "main"
	poolSub  = "sub"
)

// Attribute names of a slot item.
const (
	attrHolder     = "slot_holder"
	attrLeaseUntil = "lease_until"
	attrTTL        = "expires_at"
)

// slotTTL is how long after its lease a slot item may linger before the
// table's TTL deletes it (Tidy deletes dead slots sooner).
const slotTTL = time.Hour

func slotSK(pool string, n int) string { return "slot#" + pool + "#" + strconv.Itoa(n) }

func slotKey(org, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: sAttr(orgPK(org)), attrSK: sAttr(sk)}
}

// acquireAttempts is how many reads and claims one Acquire makes.
const acquireAttempts = 2

// slot is one slot item as read.
type slot struct {
	sk     string
	holder string
	until  time.Time
}

// Acquire takes units concurrency units and sub sub-concurrency slots for
// one call, all or nothing, each under a lease (Options.Lease) so that a
// crashed holder's slots free themselves. It reads the org's slots and
// cool-down, then writes the chosen free slots in one transaction (a single
// slot in one conditional put). A refusal is a *core.Denied: "cool-down"
// until its end, "concurrency" with a short RetryAt. Asking for more than
// the share is ErrExceedsLimit.
func (l *Ledger) Acquire(ctx context.Context, org string, units, sub int) (core.Slots, error) {
	lim, err := l.limits(org)
	if err != nil {
		return nil, err
	}
	if units < 0 || sub < 0 || units > lim.Concurrency || sub > lim.Sub {
		return nil, fmt.Errorf("%w: %d units (share %d), %d sub-slots (share %d), org %s",
			ErrExceedsLimit, units, lim.Concurrency, sub, lim.Sub, org)
	}
	if units+sub == 0 {
		return &slots{l: l, org: org}, nil
	}
	// A lost race is retried once with a fresh read (the winner may have
	// left enough free); beyond that, retrying at once only joins a herd
	// of writers on the same few slots, so the caller backs off instead.
	for range acquireAttempts {
		held, err := l.tryAcquire(ctx, org, units, sub, lim)
		var d *core.Denied
		if errors.As(err, &d) {
			obs.Add(ctx, "SlotsDenied", obs.Count, 1, obs.Org(org))
		}
		if err != nil || held != nil {
			return held, err
		}
	}
	obs.Add(ctx, "SlotsDenied", obs.Count, 1, obs.Org(org))
	return nil, &core.Denied{Reason: "concurrency", RetryAt: l.opt.Now().Add(jitter(l.opt.RetryAfter))}
}

// tryAcquire makes one attempt. It returns the slots, a denial, or neither
// when the write lost a race and a new attempt should look again.
func (l *Ledger) tryAcquire(ctx context.Context, org string, units, sub int, lim Limits) (*slots, error) {
	cool, taken, err := l.look(ctx, org)
	if err != nil {
		return nil, err
	}
	now := l.opt.Now()
	if now.Before(cool) {
		return nil, &core.Denied{Reason: "cool-down", RetryAt: cool}
	}
	mainFree := freeSlots(poolMain, lim.Concurrency, taken, now)
	subFree := freeSlots(poolSub, lim.Sub, taken, now)
	if len(mainFree) < units || len(subFree) < sub {
		return nil, &core.Denied{Reason: "concurrency", RetryAt: now.Add(jitter(l.opt.RetryAfter))}
	}
	want := append(mainFree[:units:units], subFree[:sub]...)
	holder := l.holderID()
	won, err := l.claim(ctx, org, want, holder, now)
	if err != nil || !won {
		return nil, err
	}
	return &slots{l: l, org: org, holder: holder, sks: want}, nil
}

// look reads org's cool-down and its taken slots (consistent reads, in
// parallel).
func (l *Ledger) look(ctx context.Context, org string) (time.Time, map[string]slot, error) {
	var cool time.Time
	var coolErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		out, err := l.db.GetItem(ctx, &dynamodb.GetItemInput{
			TableName:            aws.String(l.opt.Table),
			Key:                  creditsKey(org),
			ConsistentRead:       aws.Bool(true),
			ProjectionExpression: aws.String(attrCool),
		})
		if err != nil {
			coolErr = fmt.Errorf("ledger: read cool-down of org %s: %w", org, err)
			return
		}
		cool = msTime(out.Item[attrCool])
	})
	taken, err := l.readSlots(ctx, org)
	wg.Wait()
	if err = errors.Join(coolErr, err); err != nil {
		return time.Time{}, nil, err
	}
	return cool, taken, nil
}

// readSlots returns org's slot items by sort key.
func (l *Ledger) readSlots(ctx context.Context, org string) (map[string]slot, error) {
	taken := map[string]slot{}
	p := dynamodb.NewQueryPaginator(l.db, &dynamodb.QueryInput{
		TableName:              aws.String(l.opt.Table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :pre)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": sAttr(orgPK(org)), ":pre": sAttr("slot#"),
		},
		ConsistentRead: aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ledger: read slots of org %s: %w", org, err)
		}
		for _, it := range page.Items {
			s := slot{sk: str(it[attrSK]), holder: str(it[attrHolder]), until: msTime(it[attrLeaseUntil])}
			taken[s.sk] = s
		}
	}
	return taken, nil
}

// freeSlots lists the sort keys of pool's free slots (never written, or
// their lease ended), shuffled so concurrent acquirers rarely collide.
func freeSlots(pool string, share int, taken map[string]slot, now time.Time) []string {
	var free []string
	for n := range share {
		sk := slotSK(pool, n)
		if s, ok := taken[sk]; !ok || s.holder == "" || !now.Before(s.until) {
			free = append(free, sk)
		}
	}
	rand.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	return free
}

// claim writes the slots for holder, each conditional on being free. It
// reports false when another worker took one of them first.
func (l *Ledger) claim(ctx context.Context, org string, sks []string, holder string, now time.Time) (bool, error) {
	until := now.Add(l.opt.Lease)
	cond := aws.String("attribute_not_exists(slot_holder) OR lease_until <= :now")
	vals := map[string]types.AttributeValue{":now": msAttr(now)}
	item := func(sk string) map[string]types.AttributeValue {
		m := slotKey(org, sk)
		m[attrHolder], m[attrLeaseUntil] = sAttr(holder), msAttr(until)
		m[attrTTL] = nAttr(until.Add(slotTTL).Unix())
		return m
	}
	var err error
	if len(sks) == 1 {
		_, err = l.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(l.opt.Table), Item: item(sks[0]),
			ConditionExpression: cond, ExpressionAttributeValues: vals,
		})
	} else {
		tx := make([]types.TransactWriteItem, len(sks))
		for i, sk := range sks {
			tx[i] = types.TransactWriteItem{Put: &types.Put{
				TableName: aws.String(l.opt.Table), Item: item(sk),
				ConditionExpression: cond, ExpressionAttributeValues: vals,
			}}
		}
		_, err = l.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
			TransactItems: tx, ClientRequestToken: aws.String(holder),
		})
	}
	if lostRace(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ledger: acquire slots of org %s: %w", org, err)
	}
	return true, nil
}

// lostRace reports the errors that mean another writer got there first:
// a failed condition, a cancelled transaction (condition or conflict), or
// a conflict with another transaction on the same item.
func lostRace(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	var tc *types.TransactionCanceledException
	var conflict *types.TransactionConflictException
	switch {
	case errors.As(err, &ccf), errors.As(err, &conflict):
		return true
	case errors.As(err, &tc):
		for _, r := range tc.CancellationReasons {
			c := aws.ToString(r.Code)
			if c != "" && c != "None" && c != "ConditionalCheckFailed" && c != "TransactionConflict" {
				return false
			}
		}
		return true
	}
	return false
}
