package secrets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Response size caps, in bytes. A secret holds at most 64 KiB (base64 in
// JSON: under 90 KiB); a parameter, 8 KiB.
const (
	maxResponse      = 256 << 10
	maxErrorResponse = 16 << 10
)

// call posts one JSON API operation to t and decodes the answer into out,
// retrying throttling, server errors and broken connections up to
// MaxAttempts tries in all. Errors name the service and operation, never a
// value.
func (c *AWSClient) call(ctx context.Context, t target, op string, in, out any) error {
	if t.err != nil {
		return t.err
	}
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s %s: encode request: %w", t.name, op, err)
	}
	for attempt := 1; ; attempt++ {
		err = c.once(ctx, t, op, body, out)
		if err == nil || attempt >= c.opts.MaxAttempts || !retryable(ctx, err) {
			break
		}
		if werr := sleep(ctx, c.opts.Backoff(attempt)); werr != nil {
			err = fmt.Errorf("%w; stop retrying: %w", err, werr)
			break
		}
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", t.name, op, err)
	}
	return nil
}

// retryable reports whether another try may help: AWS said so, or the
// request never got an answer while ctx is still live.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var api *APIError
	if errors.As(err, &api) {
		return api.Retryable()
	}
	var tr *transportError
	return errors.As(err, &tr)
}

// transportError is a request that got no HTTP answer.
type transportError struct{ err error }

func (e *transportError) Error() string { return "send: " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// once sends one signed request and reads its answer.
func (c *AWSClient) once(ctx context.Context, t target, op string, body []byte, out any) error {
	req, err := c.signedRequest(ctx, t, op, body)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return &transportError{err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		data, _ := readCapped(resp.Body, maxErrorResponse)
		return newAPIError(t.name, resp, data)
	}
	data, err := readCapped(resp.Body, maxResponse)
	if err != nil {
		return err
	}
	// The decoder's error text can quote the body, which holds the value:
	// say only that it did not decode.
	if json.Unmarshal(data, out) != nil {
		return fmt.Errorf("decode response: %w", ErrBadResponse)
	}
	return nil
}

// signedRequest builds the POST for op and signs it with SigV4.
func (c *AWSClient) signedRequest(ctx context.Context, t target, op string, body []byte) (*http.Request, error) {
	if c.cfg.Credentials == nil {
		return nil, fmt.Errorf("no credentials provider: %w", ErrAWSConfig)
	}
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrieve credentials: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", t.target+"."+op)
	sum := sha256.Sum256(body)
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), t.name, c.cfg.Region, c.opts.Now()); err != nil {
		return nil, fmt.Errorf("sign request: %w", err)
	}
	return req, nil
}

// readCapped reads r to its end, failing with ErrBadResponse past limit
// bytes.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &transportError{err: err}
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("response over %d bytes: %w", limit, ErrBadResponse)
	}
	return data, nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
