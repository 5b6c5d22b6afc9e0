package core

import "errors"

// ErrBlobNotFound is wrapped by Blobs.GetBlob when no live blob has the key
// (never written, or past its retention). Reading it again will not help, so
// a queue message whose body it was is poison, not a transient failure.
var ErrBlobNotFound = errors.New("blob not found")
