package secrets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

var errNotFoundSM = &APIError{Service: "secretsmanager", Status: 400, Code: "ResourceNotFoundException"}

const jsonSecret = `{"stripe":"whsec_json_value","shopify":"shpss_json_value","n":42,"empty":""}`

func newTestResolver() (*Resolver, *fakeSSM, *fakeSM) {
	p := &fakeSSM{params: map[string]string{
		"/zohosync/stripe": "whsec_ssm_value",
		"/zohosync/blank":  "",
	}}
	s := &fakeSM{
		str: map[string]string{"zohosync/hooks": jsonSecret, "plain": "plain_value", "notjson": "not-json-value"},
	}
	r := NewResolver(Options{SSM: p, SecretsManager: s, LookupEnv: envMap(map[string]string{
		"STRIPE_SECRET": "env_value", "BLANK": "",
	})})
	return r, p, s
}

// allValues are every value the fakes hold; no error may contain one.
var allValues = []string{"whsec_ssm_value", "whsec_json_value", "shpss_json_value", "plain_value",
	"not-json-value", "env_value"}

func TestResolve(t *testing.T) {
	cases := []struct {
		ref     string
		want    string
		wantErr error
	}{
		{"env:STRIPE_SECRET", "env_value", nil},
		{"env:MISSING", "", ErrNotFound},
		{"env:BLANK", "", ErrEmpty},
		{"ssm:/zohosync/stripe", "whsec_ssm_value", nil},
		{"ssm:/zohosync/missing", "", ErrNotFound},
		{"ssm:/zohosync/blank", "", ErrEmpty},
		{"secretsmanager:plain", "plain_value", nil},
		{"secretsmanager:zohosync/hooks#stripe", "whsec_json_value", nil},
		{"secretsmanager:zohosync/hooks#shopify", "shpss_json_value", nil},
		{"secretsmanager:zohosync/hooks#absent", "", ErrNoKey},
		{"secretsmanager:zohosync/hooks#n", "", ErrNoKey},
		{"secretsmanager:zohosync/hooks#empty", "", ErrEmpty},
		{"secretsmanager:notjson#key", "", ErrNotJSON},
		{"secretsmanager:missing", "", ErrNotFound},
		{"whsec_literal_in_config", "", ErrBadRef},
		{"vault:x", "", ErrBadRef},
	}
	for _, c := range cases {
		t.Run(c.ref, func(t *testing.T) {
			r, _, _ := newTestResolver()
			got, err := r.Resolve(context.Background(), c.ref)
			if got != c.want || !errors.Is(err, c.wantErr) || (err == nil) != (c.wantErr == nil) {
				t.Fatalf("Resolve = %q, %v; want %q, %v", got, err, c.want, c.wantErr)
			}
			if err == nil {
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Ref != c.ref {
				t.Errorf("error %v is not an *Error naming %q", err, c.ref)
			}
			for _, v := range allValues {
				if strings.Contains(err.Error(), v) {
					t.Errorf("error %q leaks a secret value", err)
				}
			}
		})
	}
}

func TestResolveAsksForDecryption(t *testing.T) {
	r, p, _ := newTestResolver()
	if _, err := r.Resolve(context.Background(), "ssm:/zohosync/stripe"); err != nil {
		t.Fatal(err)
	}
	if len(p.decrypt) != 1 || !p.decrypt[0] {
		t.Errorf("WithDecryption = %v, want [true]", p.decrypt)
	}
}

func TestResolveWithoutClients(t *testing.T) {
	r := NewResolver(Options{LookupEnv: envMap(nil)})
	for _, ref := range []string{"ssm:/a", "secretsmanager:b"} {
		if _, err := r.Resolve(context.Background(), ref); !errors.Is(err, ErrNoClient) {
			t.Errorf("Resolve(%q) = %v, want ErrNoClient", ref, err)
		}
	}
}

func TestResolveSDKErrorKeepsCause(t *testing.T) {
	r, p, _ := newTestResolver()
	boom := errors.New("operation error SSM: GetParameter, AccessDeniedException")
	p.err = boom
	_, err := r.Resolve(context.Background(), "ssm:/zohosync/stripe")
	if !errors.Is(err, boom) {
		t.Fatalf("Resolve = %v, want it to wrap the SDK error", err)
	}
	if want := "secret ssm:/zohosync/stripe: ssm get parameter: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Error() = %q, want prefix %q", err, want)
	}
}

func TestResolveCachesFetches(t *testing.T) {
	r, p, s := newTestResolver()
	ctx := context.Background()
	for range 3 {
		for _, ref := range []string{"ssm:/zohosync/stripe", "secretsmanager:zohosync/hooks#stripe", "secretsmanager:zohosync/hooks#shopify"} {
			if _, err := r.Resolve(ctx, ref); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := p.count("/zohosync/stripe"); got != 1 {
		t.Errorf("GetParameter calls = %d, want 1", got)
	}
	if got := s.count("zohosync/hooks"); got != 1 {
		t.Errorf("GetSecretValue calls = %d, want 1 for two keys of one secret", got)
	}
}

func TestResolveForgetsFailures(t *testing.T) {
	r, p, _ := newTestResolver()
	p.err = errors.New("throttled")
	if _, err := r.Resolve(context.Background(), "ssm:/zohosync/stripe"); err == nil {
		t.Fatal("want an error while the fake fails")
	}
	p.err = nil
	got, err := r.Resolve(context.Background(), "ssm:/zohosync/stripe")
	if err != nil || got != "whsec_ssm_value" {
		t.Fatalf("after recovery Resolve = %q, %v", got, err)
	}
	if c := p.count("/zohosync/stripe"); c != 2 {
		t.Errorf("GetParameter calls = %d, want 2 (failure not cached)", c)
	}
}

func TestResolveConcurrentCallersShareOneFetch(t *testing.T) {
	r, p, _ := newTestResolver()
	p.gate = make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			v, err := r.Resolve(context.Background(), "ssm:/zohosync/stripe")
			if err == nil && v != "whsec_ssm_value" {
				err = fmt.Errorf("got %q", v)
			}
			errs <- err
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(p.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if c := p.count("/zohosync/stripe"); c != 1 {
		t.Errorf("GetParameter calls = %d, want 1", c)
	}
}

func TestResolveWaiterHonoursContext(t *testing.T) {
	r, p, _ := newTestResolver()
	p.gate = make(chan struct{})
	defer close(p.gate)
	go r.Resolve(context.Background(), "ssm:/zohosync/stripe")
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := r.Resolve(ctx, "ssm:/zohosync/stripe"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting Resolve = %v, want DeadlineExceeded", err)
	}
}

func TestResolveAll(t *testing.T) {
	r, _, _ := newTestResolver()
	refs := []string{"env:STRIPE_SECRET", "ssm:/zohosync/stripe", "secretsmanager:zohosync/hooks#shopify", "secretsmanager:plain"}
	got, err := r.ResolveAll(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"env_value", "whsec_ssm_value", "shpss_json_value", "plain_value"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ResolveAll = %v, want %v", got, want)
	}
	_, err = r.ResolveAll(context.Background(), []string{"env:MISSING", "env:STRIPE_SECRET", "ssm:/nope"})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "env:MISSING") || !strings.Contains(err.Error(), "ssm:/nope") {
		t.Errorf("ResolveAll = %v, want both failures named", err)
	}
	if strings.Contains(err.Error(), "env_value") {
		t.Errorf("ResolveAll error %q leaks a value", err)
	}
}

func TestParseRef(t *testing.T) {
	cases := []struct {
		in   string
		want Ref
		ok   bool
	}{
		{"env:STRIPE_SECRET", Ref{Kind: Env, Name: "STRIPE_SECRET"}, true},
		{"env:_x1", Ref{Kind: Env, Name: "_x1"}, true},
		{"env:1X", Ref{}, false},
		{"env:", Ref{}, false},
		{"ssm:/zohosync/stripe", Ref{Kind: SSM, Name: "/zohosync/stripe"}, true},
		{"ssm:arn:aws:ssm:eu-west-1:123456789012:parameter/x", Ref{Kind: SSM, Name: "arn:aws:ssm:eu-west-1:123456789012:parameter/x"}, true},
		{"ssm:", Ref{}, false},
		{"ssm:/a b", Ref{}, false},
		{"secretsmanager:zohosync/hooks", Ref{Kind: SecretsManager, Name: "zohosync/hooks"}, true},
		{"secretsmanager:zohosync/hooks#stripe", Ref{Kind: SecretsManager, Name: "zohosync/hooks", Key: "stripe"}, true},
		{"secretsmanager:arn:aws:secretsmanager:us-east-1:1:secret:h-AbC#k", Ref{Kind: SecretsManager, Name: "arn:aws:secretsmanager:us-east-1:1:secret:h-AbC", Key: "k"}, true},
		{"secretsmanager:x#", Ref{}, false},
		{"secretsmanager:#k", Ref{}, false},
		{"plain-secret", Ref{}, false},
		{"SSM:/x", Ref{}, false},
	}
	for _, c := range cases {
		got, err := ParseRef(c.in)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("ParseRef(%q) = %+v, %v; want %+v, ok=%v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && !errors.Is(err, ErrBadRef) {
			t.Errorf("ParseRef(%q) error %v is not ErrBadRef", c.in, err)
		}
		if c.ok && got.String() != c.in {
			t.Errorf("String() = %q, want %q", got.String(), c.in)
		}
	}
}
