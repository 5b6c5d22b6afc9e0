package main

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohosync/zohosync/infra/local/lambdaemu"
)

// sleeper is a container whose invocations take a fixed time.
type sleeper struct{ d time.Duration }

func (s sleeper) Invoke(_ context.Context, p []byte) ([]byte, error) {
	time.Sleep(s.d)
	if string(p) == "fail" {
		return nil, &lambdaemu.FunctionError{Type: "x", Message: "failed"}
	}
	return p, nil
}

func TestPoolGrowsLikeLambda(t *testing.T) {
	var built atomic.Int64
	p := newPool("fn", 1024, func(context.Context) (lambdaemu.Invoker, error) {
		built.Add(1)
		return sleeper{20 * time.Millisecond}, nil
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.Invoke(ctx, []byte("ok")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for range 3 {
		p.Invoke(ctx, []byte("ok"))
	}
	if _, err := p.Invoke(ctx, []byte("fail")); !isFunctionError(err) {
		t.Errorf("a failing invocation returned %v, want its function error", err)
	}
	st := p.snapshot()
	if st.containers != 4 || built.Load() != 4 {
		t.Errorf("built %d containers (%d recorded), want 4: one per concurrent invocation", built.Load(), st.containers)
	}
	if st.invocations != 8 || st.failures != 1 || p.cold.Len() != 4 || p.warm.Len() != 4 {
		t.Errorf("invocations %d (failures %d), cold %d, warm %d; want 8 (1), 4, 4", st.invocations, st.failures, p.cold.Len(), p.warm.Len())
	}
	// 8 invocations of at least 20 ms at 1 GB.
	if st.gbSeconds < 0.16 || st.gbSeconds > 1 {
		t.Errorf("GB-s = %v, want a little over 0.16", st.gbSeconds)
	}
}

func TestPoolBuildFailure(t *testing.T) {
	p := newPool("fn", 128, func(context.Context) (lambdaemu.Invoker, error) { return nil, errors.New("no config") })
	if _, err := p.Invoke(context.Background(), nil); err == nil {
		t.Fatal("Invoke succeeded without a container")
	}
}

func isFunctionError(err error) bool {
	var fe *lambdaemu.FunctionError
	return errors.As(err, &fe)
}
