package queue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/zohosync/zohosync/shared/core"
)

// ErrPoison is matched (errors.Is) by every *PoisonError.
var ErrPoison = errors.New("poison message")

// PoisonError reports a message that can never be read: undecodable, or its
// out-of-band body is gone or does not match. Retrying will not help.
type PoisonError struct{ Err error }

// Error says why the message is poison.
func (e *PoisonError) Error() string { return "poison message: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *PoisonError) Unwrap() error { return e.Err }

// Is matches ErrPoison.
func (e *PoisonError) Is(target error) bool { return target == ErrPoison }

// Decode reads one events-queue message body: the envelope, and the raw
// body bytes, fetched through blobs when stored out of band and checked
// against the envelope's BodySize and BodySHA256. A message that can never
// be read fails with a *PoisonError; any other error (a blob read that
// failed, a cancelled context) is transient and worth a retry.
func Decode(ctx context.Context, messageBody string, blobs core.Blobs) (*core.Envelope, []byte, error) {
	env, err := core.UnmarshalEnvelope([]byte(messageBody))
	if err != nil {
		return nil, nil, &PoisonError{Err: err}
	}
	if env.Body != "" || env.BodyRef == "" {
		raw, err := env.RawBody()
		if err != nil {
			return nil, nil, &PoisonError{Err: err}
		}
		return env, raw, nil
	}
	if blobs == nil {
		return nil, nil, fmt.Errorf("read body %s: no blob store configured", env.BodyRef)
	}
	raw, err := blobs.GetBlob(ctx, env.BodyRef)
	if errors.Is(err, core.ErrBlobNotFound) {
		return nil, nil, &PoisonError{Err: fmt.Errorf("read body: %w", err)}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read body %s: %w", env.BodyRef, err)
	}
	if err := verify(env, raw); err != nil {
		return nil, nil, &PoisonError{Err: err}
	}
	return env, raw, nil
}

// verify checks an out-of-band body against the envelope's description.
func verify(env *core.Envelope, raw []byte) error {
	if len(raw) != env.BodySize {
		return fmt.Errorf("body %s has %d bytes, envelope says %d", env.BodyRef, len(raw), env.BodySize)
	}
	sum := sha256.Sum256(raw)
	if env.BodySHA256 != "" && !strings.EqualFold(env.BodySHA256, hex.EncodeToString(sum[:])) {
		return fmt.Errorf("body %s does not match the envelope's SHA-256", env.BodyRef)
	}
	return nil
}

// Decoder returns Decode bound to blobs, in the shape the sync handler takes.
func Decoder(blobs core.Blobs) func(ctx context.Context, messageBody string) (*core.Envelope, []byte, error) {
	return func(ctx context.Context, messageBody string) (*core.Envelope, []byte, error) {
		return Decode(ctx, messageBody, blobs)
	}
}
