package ledger

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

// clock is an injectable clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// newClock starts a clock at the start of a bucket, so tests know which
// bucket each charge lands in.
func newClock() *clock {
	return &clock{t: time.Now().Truncate(DefaultBucket).Add(time.Second)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// faultDB wraps a DB, counting calls by operation and letting a test fail
// chosen calls before they reach the table.
type faultDB struct {
	DB
	gets, puts, updates, deletes, queries, txs atomic.Int64

	mu     sync.Mutex
	faults map[string]func() error // by operation name; nil result passes
}

func (f *faultDB) fault(op string) error {
	f.mu.Lock()
	fn := f.faults[op]
	f.mu.Unlock()
	if fn == nil {
		return nil
	}
	return fn()
}

func (f *faultDB) inject(op string, fn func() error) {
	f.mu.Lock()
	if f.faults == nil {
		f.faults = map[string]func() error{}
	}
	f.faults[op] = fn
	f.mu.Unlock()
}

// writes returns the write calls made so far.
func (f *faultDB) writes() int64 {
	return f.puts.Load() + f.updates.Load() + f.deletes.Load() + f.txs.Load()
}

func (f *faultDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	f.gets.Add(1)
	if err := f.fault("GetItem"); err != nil {
		return nil, err
	}
	return f.DB.GetItem(ctx, in, o...)
}

func (f *faultDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	f.puts.Add(1)
	if err := f.fault("PutItem"); err != nil {
		return nil, err
	}
	return f.DB.PutItem(ctx, in, o...)
}

func (f *faultDB) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	f.updates.Add(1)
	if err := f.fault("UpdateItem"); err != nil {
		return nil, err
	}
	return f.DB.UpdateItem(ctx, in, o...)
}

func (f *faultDB) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	f.deletes.Add(1)
	if err := f.fault("DeleteItem"); err != nil {
		return nil, err
	}
	return f.DB.DeleteItem(ctx, in, o...)
}

func (f *faultDB) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	f.queries.Add(1)
	if err := f.fault("Query"); err != nil {
		return nil, err
	}
	return f.DB.Query(ctx, in, o...)
}

func (f *faultDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	f.txs.Add(1)
	if err := f.fault("TransactWriteItems"); err != nil {
		return nil, err
	}
	return f.DB.TransactWriteItems(ctx, in, o...)
}

// failTimes returns a fault that returns err for the first n calls.
func failTimes(n int64, err error) func() error {
	var calls atomic.Int64
	return func() error {
		if calls.Add(1) <= n {
			return err
		}
		return nil
	}
}

// rig is a provisioned table shared by the Ledgers ("containers") of a test.
type rig struct {
	db    *faultDB
	table string
	lim   Limits
}

func newRig(t testing.TB, lim Limits) *rig {
	t.Helper()
	names := emutest.Provision(t)
	return &rig{db: &faultDB{DB: emutest.Dynamo(t)}, table: names.Tables["StateTable"], lim: lim}
}

func (r *rig) ledger(t testing.TB, mod func(*Options)) *Ledger {
	t.Helper()
	opt := Options{Table: r.table, Orgs: map[string]Limits{"acme": r.lim}}
	if mod != nil {
		mod(&opt)
	}
	l, err := New(r.db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func withClock(c *clock) func(*Options) { return func(o *Options) { o.Now = c.Now } }
