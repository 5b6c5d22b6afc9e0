package core

import (
	"context"
	"fmt"
	"time"
)

// Token is an OAuth access token for one org's Zoho API. APIDomain is the
// data centre's API host the token belongs to (from the token response).
type Token struct {
	Access    string
	APIDomain string
	Expiry    time.Time
}

// Tokens hands out access tokens per org. Implementations refresh at most
// once across the whole fleet at a time and respect Zoho's mint limits.
type Tokens interface {
	// Token returns a token valid for at least a safety margin.
	Token(ctx context.Context, org string) (Token, error)
	// Invalidate marks exactly this access token dead (after a 401), so the
	// next Token call refreshes; a newer stored token is left alone.
	Invalidate(ctx context.Context, org, access string) error
}

// CRM performs planned Zoho calls.
type CRM interface {
	// Do sends one call. A request-level failure (401, 429, 5xx, timeout,
	// unreadable body) is returned as an error; otherwise the report holds one
	// result per operation, in call.Operations() order.
	Do(ctx context.Context, tok Token, call *Call) (*CallReport, error)
}

// CallReport is what one Zoho call answered.
type CallReport struct {
	Status  int
	Results []Result
	// CreditsRemaining is X-API-CREDITS-REMAINING, or -1 when absent.
	CreditsRemaining int
}

// Ledger keeps an org's fleet-wide credit budget and concurrency share.
type Ledger interface {
	// Reserve takes credits for a whole plan from the rolling 24-hour budget
	// in one conditional write. A refusal is a *Denied.
	Reserve(ctx context.Context, org string, credits int) (Reservation, error)
	// Acquire takes concurrency units (and sub-concurrency slots) for one call,
	// each held under a lease so a crashed holder frees it. A refusal is a
	// *Denied.
	Acquire(ctx context.Context, org string, units, sub int) (Slots, error)
	// CoolDown stops every worker of the org until the given time (after a 429).
	CoolDown(ctx context.Context, org string, until time.Time) error
}

// Reservation is credits taken for a plan.
type Reservation interface {
	// Settle returns the credits not spent and, when remaining >= 0, reconciles
	// the ledger with Zoho's X-API-CREDITS-REMAINING.
	Settle(ctx context.Context, spent, remaining int) error
}

// Slots are concurrency units held for one call.
type Slots interface {
	Release(ctx context.Context) error
}

// Denied is a ledger refusal: try again at RetryAt.
type Denied struct {
	Reason  string
	RetryAt time.Time
}

func (d *Denied) Error() string {
	return fmt.Sprintf("ledger denied (%s); retry at %s", d.Reason, d.RetryAt.UTC().Format(time.RFC3339))
}

// Queue sends envelopes to the events queue.
type Queue interface {
	// Send enqueues env after delay (0 to 900 s; longer delays are the
	// caller's business, via Envelope.NotBefore).
	Send(ctx context.Context, env *Envelope, delay time.Duration) error
}

// Blobs keeps bodies too large for a queue message.
type Blobs interface {
	PutBlob(ctx context.Context, key string, data []byte) error
	GetBlob(ctx context.Context, key string) ([]byte, error)
}

// DeadLetters stores records zohosync gave up on.
type DeadLetters interface {
	Put(ctx context.Context, dl *DeadLetter) error
}

// ClaimState is the answer to a delivery claim.
type ClaimState int

// Claim states.
const (
	// ClaimNew: this caller holds the claim and must enqueue, then Complete.
	ClaimNew ClaimState = iota
	// ClaimDone: the event was enqueued before; answer 200 and do nothing.
	ClaimDone
	// ClaimBusy: another attempt holds a live lease; the sender should retry.
	ClaimBusy
)

// Claims dedupes deliveries per (source, event id).
type Claims interface {
	Claim(ctx context.Context, source, eventID string, lease time.Duration) (ClaimState, error)
	Complete(ctx context.Context, source, eventID string) error
	// Release drops an in-progress claim after a failed enqueue, so the
	// sender's retry can take it at once.
	Release(ctx context.Context, source, eventID string) error
}

// Planner packs one org's operations into Zoho calls (package plan, adapted
// by package app).
type Planner interface {
	// Plan returns stages of calls: calls of one stage are independent; an
	// operation's Refs point at operations of earlier stages or of the same
	// composite call. Rejected input operations (invalid, or referring to an
	// invalid one) come back with the reason.
	Plan(org string, ops []*Operation) ([][]*Call, []Rejection, error)
	// Cost is what one call takes: credits, concurrency units, sub-concurrency.
	Cost(call *Call) (credits, units, sub int)
}

// Rejection is an operation the planner refused, and why.
type Rejection struct {
	Op  *Operation
	Err error
}
