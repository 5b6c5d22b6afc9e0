package secrets

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
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

func (f *fakeSSM) GetParameter(ctx context.Context, in *ssm.GetParameterInput, _ ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[*in.Name]++
	f.decrypt = append(f.decrypt, in.WithDecryption != nil && *in.WithDecryption)
	if f.err != nil {
		return nil, f.err
	}
	v, ok := f.params[*in.Name]
	if !ok {
		return nil, &ssmtypes.ParameterNotFound{}
	}
	return &ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{Name: in.Name, Value: &v}}, nil
}

func (f *fakeSSM) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

// fakeSM serves secrets from maps of string and binary values.
type fakeSM struct {
	mu    sync.Mutex
	str   map[string]string
	bin   map[string][]byte
	err   error
	calls map[string]int
}

func (f *fakeSM) GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[*in.SecretId]++
	if f.err != nil {
		return nil, f.err
	}
	if v, ok := f.str[*in.SecretId]; ok {
		return &secretsmanager.GetSecretValueOutput{SecretString: &v}, nil
	}
	if b, ok := f.bin[*in.SecretId]; ok {
		return &secretsmanager.GetSecretValueOutput{SecretBinary: b}, nil
	}
	return nil, errNotFoundSM
}

func (f *fakeSM) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[id]
}

func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}
