package secrets

import (
	"context"
	"sync"
)

// fakeSSM serves parameters from a map and counts calls per name.
type fakeSSM struct {
	mu      sync.Mutex
	params  map[string]string
	err     error
	calls   map[string]int
	decrypt []bool
	gate    chan struct{} // when set, calls wait for it to close
}

func (f *fakeSSM) GetParameter(ctx context.Context, name string, decrypt bool) (string, error) {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[name]++
	f.decrypt = append(f.decrypt, decrypt)
	if f.err != nil {
		return "", f.err
	}
	v, ok := f.params[name]
	if !ok {
		return "", &APIError{Service: "ssm", Status: 400, Code: "ParameterNotFound"}
	}
	return v, nil
}

func (f *fakeSSM) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

// fakeSM serves secrets from a map and counts calls per id.
type fakeSM struct {
	mu    sync.Mutex
	str   map[string]string
	err   error
	calls map[string]int
}

func (f *fakeSM) GetSecretValue(ctx context.Context, id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[id]++
	if f.err != nil {
		return "", f.err
	}
	if v, ok := f.str[id]; ok {
		return v, nil
	}
	return "", errNotFoundSM
}

func (f *fakeSM) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[id]
}

func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}
