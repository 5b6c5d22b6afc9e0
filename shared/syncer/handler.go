package syncer

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/retry"
)

// Mapper turns one event into operations (see package mapping). A returned
// error is a mapping error: the event is dead-lettered with it.
type Mapper interface {
	Map(env *core.Envelope, body []byte) ([]core.Operation, error)
}

// Kind classifies a request-level failure of a Zoho call.
type Kind int

// Failure kinds, from the sync's point of view.
const (
	// Transient: 5xx, timeout, connection error; retry later.
	Transient Kind = iota
	// Unauthorized: 401 with the token just used; invalidate it, refresh once,
	// retry once.
	Unauthorized
	// Throttled: 429; cool the org down, retry later.
	Throttled
	// TooLarge: the call carried too many records (a planner bug); split once.
	TooLarge
	// Permanent: the call can never succeed as is (bad module, no permission,
	// scope): dead-letter its operations.
	Permanent
)

// Classifier maps an error from CRM.Do to a kind and the problem to record.
type Classifier func(err error) (Kind, *core.Problem)

// TokenWait explains a Tokens error: reauth means the org must be connected
// again (events wait, no retry loop); a non-zero until is the earliest time a
// new token can be minted.
type TokenWait func(err error) (until time.Time, reauth bool)

// Deps are the handler's collaborators. All are required except OnResult,
// Log, Now and Rand.
type Deps struct {
	// Decode reads one queue message: the envelope and the raw body (fetched
	// from the blob store when it was stored out of band).
	Decode      func(ctx context.Context, body string) (*core.Envelope, []byte, error)
	Mapper      Mapper
	Planner     core.Planner
	CRM         core.CRM
	Classify    Classifier
	Tokens      core.Tokens
	TokenWait   TokenWait
	Ledger      core.Ledger
	Queue       core.Queue
	DeadLetters core.DeadLetters
	Policy      retry.Policy

	// OnResult, when set, sees every settled operation (done, requeued or
	// dead-lettered), once per source message; it may be called from several
	// goroutines at once. The local runner prints them.
	OnResult func(ctx context.Context, r core.Result)
	// Metrics receives this invocation's metrics; nil writes EMF to stdout.
	Metrics func() *obs.Recorder
	Log     *slog.Logger
	Now     func() time.Time
	Rand    func() float64
}

// Options tune the handler.
type Options struct {
	// CallTimeout bounds one Zoho call.
	CallTimeout time.Duration
	// Reserve is the invocation time kept back for settling outcomes.
	Reserve time.Duration
	// ThrottleCoolDown is how long an org pauses after a 429.
	ThrottleCoolDown time.Duration
	// ReauthWait is the delay of events waiting for a new connect.
	ReauthWait time.Duration
	// Parallel bounds concurrent calls from one invocation.
	Parallel int
}

// DefaultOptions are the shipped settings.
var DefaultOptions = Options{
	CallTimeout:      20 * time.Second,
	Reserve:          5 * time.Second,
	ThrottleCoolDown: 30 * time.Second,
	ReauthWait:       15 * time.Minute,
	Parallel:         10,
}

// Handler handles SQS batches for the sync function. It is safe for
// concurrent use.
type Handler struct {
	d   Deps
	opt Options
}

// New checks deps and returns a handler.
func New(d Deps, opt Options) (*Handler, error) {
	if d.Decode == nil || d.Mapper == nil || d.Planner == nil || d.CRM == nil || d.Classify == nil ||
		d.Tokens == nil || d.TokenWait == nil || d.Ledger == nil || d.Queue == nil || d.DeadLetters == nil {
		return nil, errors.New("syncer: missing dependency")
	}
	if d.Policy.MaxAttempts == 0 && d.Policy.MaxAge == 0 {
		d.Policy = retry.Default
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Rand == nil {
		d.Rand = rand.Float64
	}
	if d.Metrics == nil {
		d.Metrics = func() *obs.Recorder { return obs.NewRecorder(os.Stdout) }
	}
	def := DefaultOptions
	if opt.CallTimeout <= 0 {
		opt.CallTimeout = def.CallTimeout
	}
	if opt.Reserve <= 0 {
		opt.Reserve = def.Reserve
	}
	if opt.ThrottleCoolDown <= 0 {
		opt.ThrottleCoolDown = def.ThrottleCoolDown
	}
	if opt.ReauthWait <= 0 {
		opt.ReauthWait = def.ReauthWait
	}
	if opt.Parallel <= 0 {
		opt.Parallel = def.Parallel
	}
	return &Handler{d: d, opt: opt}, nil
}

// Handle processes one SQS batch and reports the messages whose outcome could
// not be recorded durably.
func (h *Handler) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	rec := h.d.Metrics()
	ctx = obs.WithRecorder(ctx, rec)
	defer rec.Flush()

	b := &batch{h: h, byID: map[string]*message{}}
	for i := range ev.Records {
		b.read(ctx, ev.Records[i])
	}
	b.run(ctx)
	var resp events.SQSEventResponse
	count := map[string]int{}
	for _, m := range b.msgs {
		if m.failed {
			resp.BatchItemFailures = append(resp.BatchItemFailures,
				events.SQSBatchItemFailure{ItemIdentifier: m.id})
		}
		for _, r := range m.results {
			count[r.Outcome.String()]++
		}
	}
	// One summary line per batch at info; per-record lines are debug, except
	// requeues and dead letters (CloudWatch Logs is billed per byte).
	h.d.Log.InfoContext(ctx, "batch settled", "messages", len(b.msgs), "done", count["done"],
		"requeued", count["retry"], "dead_lettered", count["dead"], "redelivered", len(resp.BatchItemFailures))
	return resp, nil
}

// batch is the state of one invocation.
type batch struct {
	h    *Handler
	msgs []*message
	byID map[string]*message
}
