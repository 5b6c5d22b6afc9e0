package dynamo_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/shared/dynamo"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 3, 14, 9, 26, 53, 589793238, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var (
	tableOnce sync.Once
	tableName string
)

// mustTable returns a Table on the provisioned state table with clock c.
// Tests share one provisioned table and keep apart by unique names.
func mustTable(t testing.TB, c *clock, opt dynamo.Options) *dynamo.Table {
	t.Helper()
	client := emutest.Dynamo(t)
	tableOnce.Do(func() { tableName = emutest.Provision(t).Tables["StateTable"] })
	if tableName == "" {
		t.Fatal("no provisioned StateTable")
	}
	opt.Now = c.Now
	tb, err := dynamo.New(client, tableName, opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return tb
}

// uniq returns a name unique within this test binary run.
func uniq(prefix string) string { return emutest.Name(prefix) }
