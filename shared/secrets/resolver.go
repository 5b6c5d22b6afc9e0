package secrets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
)

// SSMClient reads SSM Parameter Store parameters. *AWSClient is one.
type SSMClient interface {
	// GetParameter returns a parameter's value, decrypted when decrypt is
	// set. An unknown parameter's error matches ErrNotFound.
	GetParameter(ctx context.Context, name string, decrypt bool) (string, error)
}

// SecretsManagerClient reads Secrets Manager secrets. *AWSClient is one.
type SecretsManagerClient interface {
	// GetSecretValue returns a secret's current SecretString, or the bytes
	// of its SecretBinary. An unknown secret's error matches ErrNotFound.
	GetSecretValue(ctx context.Context, id string) (string, error)
}

// Options configures a Resolver. A nil client makes references of its kind
// fail with ErrNoClient; a nil LookupEnv means os.LookupEnv.
type Options struct {
	SSM            SSMClient
	SecretsManager SecretsManagerClient
	LookupEnv      func(string) (string, bool)
}

// Resolver resolves and caches secret references. It is safe for
// concurrent use; concurrent requests for one parameter or secret share a
// single fetch.
type Resolver struct {
	opts  Options
	mu    sync.Mutex
	cache map[string]*fetch
}

// fetch is one parameter or secret, fetched once.
type fetch struct {
	done  chan struct{}
	value string
	err   error
}

// NewResolver returns a resolver with an empty cache.
func NewResolver(o Options) *Resolver {
	if o.LookupEnv == nil {
		o.LookupEnv = os.LookupEnv
	}
	return &Resolver{opts: o, cache: map[string]*fetch{}}
}

// Resolve returns the value ref names. Errors are *Error.
func (r *Resolver) Resolve(ctx context.Context, ref string) (string, error) {
	p, err := ParseRef(ref)
	if err != nil {
		return "", &Error{Ref: ref, Err: err}
	}
	raw, err := r.fetchOnce(ctx, p)
	if err != nil {
		return "", &Error{Ref: ref, Err: err}
	}
	v := raw
	if p.Key != "" {
		if v, err = jsonField(raw, p.Key); err != nil {
			return "", &Error{Ref: ref, Err: err}
		}
	}
	if v == "" {
		return "", &Error{Ref: ref, Err: ErrEmpty}
	}
	return v, nil
}

// maxParallel bounds concurrent fetches in ResolveAll.
const maxParallel = 8

// ResolveAll resolves refs concurrently and returns the values in the same
// order. On failure it returns every error, joined.
func (r *Resolver) ResolveAll(ctx context.Context, refs []string) ([]string, error) {
	vals := make([]string, len(refs))
	errs := make([]error, len(refs))
	sem := make(chan struct{}, maxParallel)
	var wg sync.WaitGroup
	for i, ref := range refs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			vals[i], errs[i] = r.Resolve(ctx, ref)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return vals, nil
}

// fetchOnce returns the cached raw value of p's parameter or secret,
// fetching it if no other call has; failures are forgotten.
func (r *Resolver) fetchOnce(ctx context.Context, p Ref) (string, error) {
	key := p.source()
	r.mu.Lock()
	f, ok := r.cache[key]
	if !ok {
		f = &fetch{done: make(chan struct{})}
		r.cache[key] = f
	}
	r.mu.Unlock()
	if !ok {
		f.value, f.err = r.get(ctx, p)
		if f.err != nil {
			r.mu.Lock()
			delete(r.cache, key)
			r.mu.Unlock()
		}
		close(f.done)
	}
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		return "", fmt.Errorf("wait for fetch: %w", ctx.Err())
	}
}

func (r *Resolver) get(ctx context.Context, p Ref) (string, error) {
	switch p.Kind {
	case Env:
		v, ok := r.opts.LookupEnv(p.Name)
		if !ok {
			return "", fmt.Errorf("environment variable: %w", ErrNotFound)
		}
		return v, nil
	case SSM:
		return r.getParameter(ctx, p.Name)
	case SecretsManager:
		return r.getSecret(ctx, p.Name)
	}
	return "", ErrBadRef
}
