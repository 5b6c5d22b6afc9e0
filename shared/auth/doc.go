// Package auth keeps each org's Zoho OAuth tokens in the state table and
// hands out access tokens to a fleet of Lambdas without refresh storms. The
// Store implements core.Tokens.
//
// Zoho's limits this package respects (docs/ZOHO.md §6): an access token lives
// one hour; at most 10 access tokens are minted per refresh token per 10
// minutes (then the token endpoint answers "Access Denied"); at most 15 are
// live per refresh token (the 16th silently kills the oldest). The token
// endpoint reports errors with HTTP 200 and an "error" field.
//
// # Item
//
// One item per org, pk "org#<org>", sk "token", no TTL:
//
//	refresh_token    the org's refresh token (never logged)
//	access_token     the current access token (never logged)
//	access_expiry    its expiry, epoch ms (0 after Invalidate)
//	minted_at        when it was minted, epoch ms
//	api_domain       the API host that token belongs to (from the token response)
//	accounts_url     the accounts server that minted it
//	data_center      us, eu, ... (from api_domain at connect time)
//	client_id        the self-client's id (the secret is never stored)
//	connected_at     when Connect stored the refresh token, epoch ms
//	lease_owner      refresh lease: who is minting ...
//	lease_until      ... and until when (epoch ms); absent when free
//	fence            incremented by every lease take and connect
//	mints            recent mint times, epoch ms (pruned to the window)
//	mint_hold_until  no mint before this (set after Access Denied)
//	reauth           Zoho's error code while the org must be connected again
//	reauth_at        when that was found, epoch ms
//
// # Refresh protocol
//
// Token returns a token cached by this container while it has more than
// the margin (default 5 min) of life left: that costs no I/O. Otherwise it
// reads the item consistently and uses the stored token if that has the
// margin. If not, it takes the refresh lease in one conditional write
// (fence unchanged since the read, no live lease), mints with the refresh
// token, and stores the new token conditional on still holding the lease
// (fence and owner), which also releases it. Workers that find a live lease
// poll the item with jittered backoff until the token appears, taking over
// if the lease expires; so a fleet mints once per expiry. Within one Store
// an org's slow path is serialised, so a container's goroutines share one
// wait.
//
// A 401 from Zoho leads to Invalidate, which clears access_expiry only
// while the stored access_token is the one that failed: the next Token
// refreshes once, and a newer token is left alone.
//
// The mint cap (default 8 per 10 minutes, below Zoho's 10 so a person's
// tool keeps room) is counted here, from the mints list, before any call to
// Zoho: a full window yields *MintLimitError with the time of the next
// allowed mint, and so does an Access Denied answer (which also holds
// minting for DeniedHold). A mint attempt whose outcome is unknown
// (timeout, transport error, 5xx) counts as a mint.
//
// invalid_code, invalid_client (and the other codes meaning the refresh
// token or client is dead) store the re-authorise state, emit the metric
// ReauthorizationNeeded and return ErrReauthorize; later Token calls fail
// fast from the stored state without calling Zoho. Refresh (the scheduled
// path) tries once per call; Connect clears the state.
//
// Every mint emits the metric TokenMints per org. Error texts carry Zoho's
// error code and HTTP status only: x/oauth2's error text can include the
// token endpoint's body, so it is never passed on, and no token or secret
// ever appears in an error or log line.
//
// The OAuth configuration and its HTTP client live as long as the Store,
// with a long-lived context; each call to the token endpoint is bounded by
// RefreshTimeout and, once started, finishes even if the caller's context
// ends, so a mint is never wasted.
package auth
