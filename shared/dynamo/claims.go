package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
)

// Claim states as stored.
const (
	stateInProgress = "in_progress"
	stateEnqueued   = "enqueued"
)

// Claim item attributes.
const (
	attrState      = "state"
	attrOwner      = "owner"
	attrLeaseUntil = "lease_until" // epoch milliseconds
	attrClaimedAt  = "claimed_at"
	attrDoneAt     = "done_at"
)

// maxHeld bounds the in-process record of held claims; past it, entries
// whose lease has run out are dropped.
const maxHeld = 4096

// Claims dedupes webhook deliveries per (source, event id); it implements
// core.Claims. A claim is one item, src#<source> / evt#<event id>, in state
// in_progress (with a lease and an owner token) or enqueued.
//
// The core.Claims methods remember each claim's owner token in process, keyed
// by (source, event id); ClaimLease, CompleteLease and ReleaseLease pass it
// explicitly and are exact even when one process claims the same id twice.
// Claims is safe for concurrent use.
type Claims struct {
	t    *Table
	mu   sync.Mutex
	held map[string]heldClaim
}

type heldClaim struct {
	owner string
	until time.Time
}

// Lease is a claim held by one caller: the owner token that Complete and
// Release must present.
type Lease struct {
	Source  string
	EventID string
	Owner   string
	Until   time.Time
}

var _ core.Claims = (*Claims)(nil)

// Claim takes the claim for lease. See ClaimLease.
func (c *Claims) Claim(ctx context.Context, source, eventID string, lease time.Duration) (core.ClaimState, error) {
	l, st, err := c.ClaimLease(ctx, source, eventID, lease)
	if err == nil && st == core.ClaimNew {
		c.remember(l)
	}
	return st, err
}

// Complete marks the claim this process holds as enqueued. It fails with
// ErrNotHeld when the lease was taken over or this process holds no claim.
func (c *Claims) Complete(ctx context.Context, source, eventID string) error {
	l, err := c.recall(source, eventID)
	if err != nil {
		return fmt.Errorf("complete claim: %w", err)
	}
	return c.CompleteLease(ctx, l)
}

// Release deletes the in-progress claim this process holds, so the sender's
// retry can take it at once. ErrNotHeld means there was nothing of ours to
// delete; callers may ignore it.
func (c *Claims) Release(ctx context.Context, source, eventID string) error {
	l, err := c.recall(source, eventID)
	if err != nil {
		return fmt.Errorf("release claim: %w", err)
	}
	return c.ReleaseLease(ctx, l)
}

// ClaimLease takes the claim in one conditional write. It answers ClaimNew
// (with the lease) when there was no claim, the old one expired, or an
// in-progress claim's lease ran out (a crashed attempt); ClaimDone when the
// event was enqueued before; ClaimBusy when another attempt holds a live
// lease.
func (c *Claims) ClaimLease(ctx context.Context, source, eventID string,
	lease time.Duration) (Lease, core.ClaimState, error) {
	if err := checkClaim(source, eventID); err != nil {
		return Lease{}, 0, fmt.Errorf("claim: %w", err)
	}
	if lease <= 0 {
		return Lease{}, 0, fmt.Errorf("claim: %w: lease %v is not positive", ErrInvalid, lease)
	}
	now := c.t.now()
	l := Lease{Source: source, EventID: eventID, Owner: newToken(), Until: now.Add(lease)}
	_, err := c.t.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(c.t.name),
		Item:      claimItem(l, now, c.t.opt.ClaimTTL),
		ConditionExpression: aws.String("attribute_not_exists(pk) OR #exp <= :nows OR " +
			"(#st = :inprog AND #lease <= :nowms)"),
		ExpressionAttributeNames: map[string]string{"#exp": attrExpires, "#st": attrState, "#lease": attrLeaseUntil},
		ExpressionAttributeValues: item{
			":nows": avN(now.Unix()), ":nowms": avN(now.UnixMilli()), ":inprog": avS(stateInProgress),
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err == nil {
		return l, core.ClaimNew, nil
	}
	old, failed := conditionFailed(err)
	if !failed {
		return Lease{}, 0, fmt.Errorf("claim %s/%s: %w", source, eventID, err)
	}
	st, err := classifyClaim(old)
	if err != nil {
		return Lease{}, 0, fmt.Errorf("claim %s/%s: %w", source, eventID, err)
	}
	return Lease{}, st, nil
}

// claimItem is a new in-progress claim held under l.
func claimItem(l Lease, now time.Time, ttl time.Duration) item {
	it := claimKey(l.Source, l.EventID)
	it[attrKind] = avS(kindClaim)
	it[attrState] = avS(stateInProgress)
	it[attrOwner] = avS(l.Owner)
	it[attrLeaseUntil] = avN(l.Until.UnixMilli())
	it[attrClaimedAt] = avTime(now)
	it[attrExpires] = avN(now.Add(ttl).Unix())
	return it
}

// classifyClaim reads the claim that blocked a new one.
func classifyClaim(old item) (core.ClaimState, error) {
	switch s := getS(old, attrState); s {
	case stateEnqueued:
		return core.ClaimDone, nil
	case stateInProgress:
		return core.ClaimBusy, nil
	case "":
		return 0, errors.New("condition failed but the existing claim was not returned")
	default:
		return 0, fmt.Errorf("existing claim has unknown state %q", s)
	}
}

// CompleteLease marks a held claim enqueued and restarts its retention.
func (c *Claims) CompleteLease(ctx context.Context, l Lease) error {
	now := c.t.now()
	_, err := c.t.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(c.t.name),
		Key:                      claimKey(l.Source, l.EventID),
		UpdateExpression:         aws.String("SET #st = :enq, #done = :now, #exp = :exp REMOVE #lease"),
		ConditionExpression:      aws.String("#owner = :owner AND #st = :inprog"),
		ExpressionAttributeNames: claimNames(),
		ExpressionAttributeValues: item{
			":enq": avS(stateEnqueued), ":now": avTime(now), ":owner": avS(l.Owner),
			":exp": avN(now.Add(c.t.opt.ClaimTTL).Unix()), ":inprog": avS(stateInProgress),
		},
	})
	return c.settle("complete", l, err)
}

// ReleaseLease deletes a held in-progress claim.
func (c *Claims) ReleaseLease(ctx context.Context, l Lease) error {
	_, err := c.t.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                aws.String(c.t.name),
		Key:                      claimKey(l.Source, l.EventID),
		ConditionExpression:      aws.String("#owner = :owner AND #st = :inprog"),
		ExpressionAttributeNames: map[string]string{"#owner": attrOwner, "#st": attrState},
		ExpressionAttributeValues: item{
			":owner": avS(l.Owner), ":inprog": avS(stateInProgress),
		},
	})
	return c.settle("release", l, err)
}

// settle forgets a finished claim and words the write's error.
func (c *Claims) settle(step string, l Lease, err error) error {
	if _, failed := conditionFailed(err); failed || err == nil {
		c.forget(l)
	}
	if err == nil {
		return nil
	}
	if _, failed := conditionFailed(err); failed {
		return fmt.Errorf("%s claim %s/%s: %w", step, l.Source, l.EventID, ErrNotHeld)
	}
	return fmt.Errorf("%s claim %s/%s: %w", step, l.Source, l.EventID, err)
}

func claimNames() map[string]string {
	return map[string]string{"#st": attrState, "#done": attrDoneAt, "#exp": attrExpires,
		"#lease": attrLeaseUntil, "#owner": attrOwner}
}

func checkClaim(source, eventID string) error {
	if err := checkPart("source", source); err != nil {
		return err
	}
	return checkPart("event id", eventID)
}

func heldKey(source, eventID string) string { return source + "\x00" + eventID }

func (c *Claims) remember(l Lease) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.held) >= maxHeld {
		now := c.t.now()
		for k, h := range c.held {
			if h.until.Before(now) {
				delete(c.held, k)
			}
		}
	}
	c.held[heldKey(l.Source, l.EventID)] = heldClaim{owner: l.Owner, until: l.Until}
}

func (c *Claims) recall(source, eventID string) (Lease, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.held[heldKey(source, eventID)]
	if !ok {
		return Lease{}, fmt.Errorf("%s/%s: no claim held by this process: %w", source, eventID, ErrNotHeld)
	}
	return Lease{Source: source, EventID: eventID, Owner: h.owner, Until: h.until}, nil
}

// forget drops the in-process record of l, unless a newer claim replaced it.
func (c *Claims) forget(l Lease) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := heldKey(l.Source, l.EventID)
	if h, ok := c.held[k]; ok && h.owner == l.Owner {
		delete(c.held, k)
	}
}

// newToken returns 128 random bits in hex.
func newToken() string {
	var b [16]byte
	rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	return hex.EncodeToString(b[:])
}
