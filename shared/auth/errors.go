package auth

import (
	"errors"
	"fmt"
	"time"
)

// ErrReauthorize reports that Zoho refused the org's refresh token or client
// (invalid_code, invalid_client): a person must connect the org again with a
// new grant code. The state is stored, so every later Token call fails fast
// with this error until Connect succeeds; callers keep their events queued.
var ErrReauthorize = errors.New("zoho authorisation revoked or invalid: connect the org again")

// ErrNotConnected reports that the org has no stored refresh token yet.
var ErrNotConnected = errors.New("org not connected to zoho (run connect)")

// ErrRefreshBusy reports that another worker held the refresh lease for
// longer than this caller was willing to wait. Retry later.
var ErrRefreshBusy = errors.New("token refresh in progress elsewhere")

// ErrNoRefreshToken reports a code exchange that returned no refresh token
// (a grant not issued for offline access).
var ErrNoRefreshToken = errors.New("token endpoint returned no refresh token")

// MintLimitError reports that a new access token may not be minted yet: the
// org's cap of mints per window is used up (zohosync's own count), or Zoho
// answered "Access Denied" to the last attempt. NextAt is the earliest time
// a mint is allowed again.
type MintLimitError struct {
	Org    string
	NextAt time.Time
	// Zoho is true when the token endpoint itself refused ("Access Denied").
	Zoho bool
}

// Error says which limit holds and when the next mint is allowed.
func (e *MintLimitError) Error() string {
	who := "zohosync mint cap"
	if e.Zoho {
		who = "zoho Access Denied"
	}
	return fmt.Sprintf("token mint limit for org %s (%s); next mint at %s", e.Org, who, e.NextAt.UTC().Format(time.RFC3339))
}

// EndpointError is a definite refusal from the token endpoint, reduced to
// what is safe to log: the HTTP status and Zoho's error code. The response
// body is never kept (it may echo request parameters).
type EndpointError struct {
	Status int
	Code   string
}

// Error names the status and Zoho's error code, nothing else.
func (e *EndpointError) Error() string {
	return fmt.Sprintf("token endpoint refused: status %d, error %q", e.Status, e.Code)
}

// Wait explains an error from Token for a caller deciding how long to keep
// work queued: reauth is true when the org must be connected again (no retry
// helps), and a non-zero until is the earliest time a new token can exist.
func Wait(err error) (until time.Time, reauth bool) {
	if errors.Is(err, ErrReauthorize) || errors.Is(err, ErrNotConnected) {
		return time.Time{}, true
	}
	var ml *MintLimitError
	if errors.As(err, &ml) {
		return ml.NextAt, false
	}
	return time.Time{}, false
}
