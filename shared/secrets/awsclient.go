package secrets

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// AWSOptions tunes an AWSClient. The zero value is ready to use.
type AWSOptions struct {
	// LookupEnv reads the endpoint overrides AWS_ENDPOINT_URL_SSM and
	// AWS_ENDPOINT_URL_SECRETS_MANAGER; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// MaxAttempts bounds the tries of one call when AWS throttles or fails
	// on its side, or the connection breaks; 0 means 4.
	MaxAttempts int
	// Backoff returns the wait before retry n (1, 2, ...); nil means
	// doubling from 100 ms with full jitter, at most 2 s.
	Backoff func(n int) time.Duration
	// Now is the signing clock; nil means time.Now.
	Now func() time.Time
}

// AWSClient reads SSM Parameter Store parameters and Secrets Manager
// secrets through the services' JSON APIs (GetParameter, GetSecretValue),
// each request signed with SigV4 using the aws.Config's credentials and
// region and sent with its HTTP client. It is the SSMClient and the
// SecretsManagerClient of a Resolver in Lambda, at a fraction of the
// SDK clients' size. It is safe for concurrent use.
type AWSClient struct {
	cfg    aws.Config
	hc     aws.HTTPClient
	signer *v4.Signer
	opts   AWSOptions
	ssm    target
	sm     target
}

// target is one service with its resolved endpoint (or why there is none).
type target struct {
	service
	url string
	err error
}

// NewAWSClient returns a client over cfg (as config.LoadDefaultConfig
// builds it). Endpoints are resolved now; a missing region or a bad
// override surfaces as the first call's error.
func NewAWSClient(cfg aws.Config, o AWSOptions) *AWSClient {
	if o.LookupEnv == nil {
		o.LookupEnv = os.LookupEnv
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 4
	}
	if o.Backoff == nil {
		o.Backoff = jitteredBackoff
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	c := &AWSClient{cfg: cfg, hc: hc, signer: v4.NewSigner(), opts: o}
	c.ssm = c.resolve(ssmService)
	c.sm = c.resolve(smService)
	return c
}

func (c *AWSClient) resolve(s service) target {
	u, err := endpoint(s, c.cfg.Region, c.cfg.BaseEndpoint, c.opts.LookupEnv)
	return target{service: s, url: u, err: err}
}

// GetParameter returns an SSM parameter's value (SSM GetParameter),
// decrypted when decrypt is set. An unknown parameter's error matches
// ErrNotFound.
func (c *AWSClient) GetParameter(ctx context.Context, name string, decrypt bool) (string, error) {
	in := struct {
		Name           string
		WithDecryption bool
	}{name, decrypt}
	var out struct {
		Parameter *struct {
			Value *string
		}
	}
	if err := c.call(ctx, c.ssm, "GetParameter", in, &out); err != nil {
		return "", err
	}
	if out.Parameter == nil || out.Parameter.Value == nil {
		return "", fmt.Errorf("ssm GetParameter: no Parameter.Value: %w", ErrBadResponse)
	}
	return *out.Parameter.Value, nil
}

// GetSecretValue returns the current version of a Secrets Manager secret
// (GetSecretValue): its SecretString, else the bytes of its SecretBinary.
// An unknown secret's error matches ErrNotFound; a secret with neither
// value, ErrEmpty.
func (c *AWSClient) GetSecretValue(ctx context.Context, id string) (string, error) {
	in := struct{ SecretId string }{id}
	var out struct {
		SecretString *string
		SecretBinary []byte // base64 in JSON
	}
	if err := c.call(ctx, c.sm, "GetSecretValue", in, &out); err != nil {
		return "", err
	}
	switch {
	case out.SecretString != nil:
		return *out.SecretString, nil
	case out.SecretBinary != nil:
		return string(out.SecretBinary), nil
	}
	return "", fmt.Errorf("secretsmanager GetSecretValue: %w", ErrEmpty)
}

// jitteredBackoff waits a random time up to 100 ms·2^(n-1), capped at 2 s.
func jitteredBackoff(n int) time.Duration {
	ceiling := min(100*time.Millisecond<<min(n-1, 5), 2*time.Second)
	return time.Duration(rand.Int64N(int64(ceiling)) + 1)
}
