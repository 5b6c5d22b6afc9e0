package zohosim

import (
	"sync"
	"time"
)

// clock is the simulator's notion of now: a base function plus an offset
// that Advance moves forward.
type clock struct {
	mu     sync.RWMutex
	base   func() time.Time
	offset time.Duration
}

func newClock(fn func() time.Time) *clock {
	if fn == nil {
		fn = time.Now
	}
	return &clock{base: fn}
}

func (c *clock) now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.base().Add(c.offset)
}

func (c *clock) set(fn func() time.Time) {
	if fn == nil {
		fn = time.Now
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.offset = fn, 0
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
