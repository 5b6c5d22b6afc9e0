package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/zohosync/zohosync/infra/bench/price"
	"github.com/zohosync/zohosync/infra/bench/stats"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
)

// pool is one function as Lambda runs it: a set of containers, each
// handling one invocation at a time, a new one built (a cold start) when
// every container is busy. It implements lambdaemu.Invoker and is safe for
// concurrent use.
type pool struct {
	name     string
	memoryMB int
	build    func(context.Context) (lambdaemu.Invoker, error)

	mu          sync.Mutex
	idle        []lambdaemu.Invoker
	containers  int
	invocations int
	failures    int
	gbSeconds   float64

	// warm are the durations of invocations by a container that had
	// handled one before; cold the first ones; inits the container builds.
	warm, cold, inits stats.Recorder
}

func newPool(name string, memoryMB int, build func(context.Context) (lambdaemu.Invoker, error)) *pool {
	return &pool{name: name, memoryMB: memoryMB, build: build}
}

// Invoke runs one invocation in an idle container, or a new one.
func (p *pool) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	c, cold, err := p.take(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	out, err := c.Invoke(ctx, payload)
	d := time.Since(start)
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.invocations++
	if err != nil {
		p.failures++
	}
	p.gbSeconds += price.GBSeconds(d.Nanoseconds(), p.memoryMB)
	p.mu.Unlock()
	if cold {
		p.cold.Add(d)
	} else {
		p.warm.Add(d)
	}
	return out, err
}

// take returns an idle container, or builds one; the build counts as the
// container's billed init.
func (p *pool) take(ctx context.Context) (lambdaemu.Invoker, bool, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, false, nil
	}
	p.mu.Unlock()
	start := time.Now()
	c, err := p.build(ctx)
	d := time.Since(start)
	if err != nil {
		return nil, false, fmt.Errorf("%s container: %w", p.name, err)
	}
	p.inits.Add(d)
	p.mu.Lock()
	p.containers++
	p.gbSeconds += price.GBSeconds(d.Nanoseconds(), p.memoryMB)
	p.mu.Unlock()
	return c, true, nil
}

// poolStats is a snapshot of a pool's counters.
type poolStats struct {
	containers, invocations, failures int
	gbSeconds                         float64
}

func (p *pool) snapshot() poolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return poolStats{p.containers, p.invocations, p.failures, p.gbSeconds}
}

// all returns every invocation's duration, cold and warm.
func (p *pool) all() []time.Duration { return append(p.cold.Values(), p.warm.Values()...) }
