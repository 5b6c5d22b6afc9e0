package naive

import (
	"context"
	"sync"
)

// units is a weighted semaphore of concurrency units. A waiter for n units
// takes them all at once, so two composites never hold part of each
// other's units.
type units struct {
	mu   sync.Mutex
	cond *sync.Cond
	free int
}

func newUnits(n int) *units {
	u := &units{free: n}
	u.cond = sync.NewCond(&u.mu)
	return u
}

// acquire blocks until n units are free or ctx ends.
func (u *units) acquire(ctx context.Context, n int) error {
	stop := context.AfterFunc(ctx, func() {
		u.mu.Lock()
		u.cond.Broadcast()
		u.mu.Unlock()
	})
	defer stop()
	u.mu.Lock()
	defer u.mu.Unlock()
	for u.free < n {
		if err := ctx.Err(); err != nil {
			return err
		}
		u.cond.Wait()
	}
	u.free -= n
	return nil
}

func (u *units) release(n int) {
	u.mu.Lock()
	u.free += n
	u.mu.Unlock()
	u.cond.Broadcast()
}
