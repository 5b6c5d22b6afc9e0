package dynamo

import (
	"errors"
	"strconv"

	"github.com/zohosync/zohosync/shared/core"
)

// Sentinels callers branch on with errors.Is.
var (
	// ErrNotFound: no live item (absent, or past its expiry) has the key.
	ErrNotFound = errors.New("not found")
	// ErrNotHeld: the caller no longer holds the claim or replay mark it
	// names (its lease was taken over, or it was released or completed).
	ErrNotHeld = errors.New("not held by this caller")
	// ErrAlreadyReplayed: the dead letter was marked replayed before.
	ErrAlreadyReplayed = errors.New("dead letter already replayed")
	// ErrCorrupt: stored data failed its length or SHA-256 check, or parts
	// of it are missing. Reading again will not help.
	ErrCorrupt = errors.New("stored data corrupt")
	// ErrTooLarge: the data exceeds what this package stores.
	ErrTooLarge = errors.New("too large")
	// ErrInvalid: an argument (key, query, cursor) is unusable.
	ErrInvalid = errors.New("invalid argument")
)

// NotFoundError reports a missing item of some kind. It matches ErrNotFound
// and, for blobs, core.ErrBlobNotFound.
type NotFoundError struct {
	Kind string // "blob", "dead letter"
	Key  string
}

// Error names the kind and key.
func (e *NotFoundError) Error() string {
	return e.Kind + " " + strconv.Quote(e.Key) + " not found"
}

// Is matches ErrNotFound, and core.ErrBlobNotFound for a blob.
func (e *NotFoundError) Is(target error) bool {
	return target == ErrNotFound || (e.Kind == kindBlob && target == core.ErrBlobNotFound)
}
