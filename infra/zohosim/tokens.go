package zohosim

import (
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
)

// Token errors, as the token endpoint names them (docs/ZOHO.md §6.2).
var (
	errClient  = errors.New("invalid_client")
	errCode    = errors.New("invalid_code")
	errDenied  = errors.New("access denied") // answered as "Access Denied"
	errGrantTy = errors.New("unsupported_grant_type")
)

type grantCode struct {
	dc, clientID, scope string
	expires             time.Time
}

type refreshToken struct {
	token, dc, clientID, scope string
	live                       []string    // access tokens, oldest first
	mints                      []time.Time // mint times inside the window
}

// accessToken is what an API call authenticates as.
type accessToken struct {
	dc, clientID, refresh string
	scopes                []string // lower-case
	expires               time.Time
}

// tokenStore is the accounts server's state. Clients are registered per data
// centre; the client id may be shared across data centres with a different
// secret in each.
type tokenStore struct {
	mu          sync.Mutex
	clients     map[string]map[string]string // dc -> client id -> secret
	codes       map[string]*grantCode
	refresh     map[string]*refreshToken
	access      map[string]*accessToken
	userRefresh map[string][]string // dc -> refresh tokens, oldest first
	mints       map[string]int      // dc -> access tokens minted

	maxLive, mintLimit, maxRefresh int
	mintWindow, codeTTL            time.Duration
}

func newTokenStore(c Config) *tokenStore {
	return &tokenStore{
		clients: map[string]map[string]string{}, codes: map[string]*grantCode{},
		refresh: map[string]*refreshToken{}, access: map[string]*accessToken{},
		userRefresh: map[string][]string{}, mints: map[string]int{},
		maxLive: c.MaxLiveTokens, mintLimit: c.MintLimit, maxRefresh: c.MaxRefreshTokens,
		mintWindow: c.MintWindow, codeTTL: c.GrantCodeTTL,
	}
}

func (ts *tokenStore) addClient(dc, id, secret string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.clients[dc] == nil {
		ts.clients[dc] = map[string]string{}
	}
	ts.clients[dc][id] = secret
}

func (ts *tokenStore) hasClient(dc, id string) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	_, ok := ts.clients[dc][id]
	return ok
}

// checkClientLocked compares the secret in constant time.
func (ts *tokenStore) checkClientLocked(dc, id, secret string) bool {
	want, ok := ts.clients[dc][id]
	if !ok || id == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(secret)) == 1
}

func (ts *tokenStore) issueCode(dc, clientID, scope string, now time.Time) string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	code := newToken()
	ts.codes[code] = &grantCode{dc: dc, clientID: clientID, scope: scope, expires: now.Add(ts.codeTTL)}
	return code
}

// grant is a successful token response before rendering.
type grant struct {
	access, refresh, scope string
	ttl                    time.Duration
}

// exchangeCode redeems a grant code (single use) for a new refresh token and
// its first access token.
func (ts *tokenStore) exchangeCode(dc, id, secret, code string, now time.Time, ttl time.Duration) (grant, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if !ts.checkClientLocked(dc, id, secret) {
		return grant{}, errClient
	}
	gc := ts.codes[code]
	if gc == nil || gc.dc != dc || gc.clientID != id || !now.Before(gc.expires) {
		return grant{}, errCode
	}
	delete(ts.codes, code)
	rt := ts.addRefreshLocked(dc, id, newToken(), gc.scope)
	g := ts.mintLocked(rt, now, ttl)
	g.refresh = rt.token
	return g, nil
}

// refreshAccess mints an access token from a refresh token, within the mint
// limit.
func (ts *tokenStore) refreshAccess(dc, id, secret, token string, now time.Time, ttl time.Duration) (grant, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if !ts.checkClientLocked(dc, id, secret) {
		return grant{}, errClient
	}
	rt := ts.refresh[token]
	if rt == nil || rt.dc != dc || rt.clientID != id {
		return grant{}, errCode
	}
	rt.mints = slices.DeleteFunc(rt.mints, func(t time.Time) bool { return !now.Before(t.Add(ts.mintWindow)) })
	if len(rt.mints) >= ts.mintLimit {
		return grant{}, errDenied
	}
	return ts.mintLocked(rt, now, ttl), nil
}

// mintLocked creates an access token, evicting the oldest live one past the
// per-refresh-token limit.
func (ts *tokenStore) mintLocked(rt *refreshToken, now time.Time, ttl time.Duration) grant {
	rt.live = slices.DeleteFunc(rt.live, func(a string) bool {
		at := ts.access[a]
		if at == nil || !now.Before(at.expires) {
			delete(ts.access, a)
			return true
		}
		return false
	})
	for len(rt.live) >= ts.maxLive {
		delete(ts.access, rt.live[0])
		rt.live = rt.live[1:]
	}
	tok := newToken()
	ts.access[tok] = &accessToken{dc: rt.dc, clientID: rt.clientID, refresh: rt.token,
		scopes: splitScopes(rt.scope), expires: now.Add(ttl)}
	rt.live = append(rt.live, tok)
	rt.mints = append(rt.mints, now)
	ts.mints[rt.dc]++
	return grant{access: tok, scope: rt.scope, ttl: ttl}
}

// addRefreshLocked stores a refresh token for the API user, evicting the
// user's oldest one (and its access tokens) past the limit.
func (ts *tokenStore) addRefreshLocked(dc, clientID, token, scope string) *refreshToken {
	for len(ts.userRefresh[dc]) >= ts.maxRefresh {
		ts.revokeRefreshLocked(ts.userRefresh[dc][0])
	}
	rt := &refreshToken{token: token, dc: dc, clientID: clientID, scope: displayScope(scope)}
	ts.refresh[token] = rt
	ts.userRefresh[dc] = append(ts.userRefresh[dc], token)
	return rt
}

func (ts *tokenStore) addRefresh(dc, clientID, token, scope string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.revokeRefreshLocked(token)
	ts.addRefreshLocked(dc, clientID, token, scope)
}

func (ts *tokenStore) revokeRefreshLocked(token string) bool {
	rt := ts.refresh[token]
	if rt == nil {
		return false
	}
	for _, a := range rt.live {
		delete(ts.access, a)
	}
	delete(ts.refresh, token)
	ts.userRefresh[rt.dc] = slices.DeleteFunc(ts.userRefresh[rt.dc], func(t string) bool { return t == token })
	return true
}

// revoke invalidates a refresh token (with its access tokens) or a single
// access token, and reports whether the token existed in dc.
func (ts *tokenStore) revoke(dc, token string) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if rt := ts.refresh[token]; rt != nil && rt.dc == dc {
		return ts.revokeRefreshLocked(token)
	}
	if at := ts.access[token]; at != nil && at.dc == dc {
		delete(ts.access, token)
		return true
	}
	return false
}

// authenticate returns a copy of the live access token, if it is valid on dc.
func (ts *tokenStore) authenticate(token, dc string, now time.Time) (accessToken, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	at := ts.access[token]
	if at == nil || at.dc != dc || !now.Before(at.expires) {
		return accessToken{}, false
	}
	return *at, true
}

// invalidateAll drops every access token and returns how many there were.
func (ts *tokenStore) invalidateAll() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	n := len(ts.access)
	ts.access = map[string]*accessToken{}
	for _, rt := range ts.refresh {
		rt.live = nil
	}
	return n
}

func (ts *tokenStore) resetMints() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.mints = map[string]int{}
	for _, rt := range ts.refresh {
		rt.mints = nil
	}
}

func (ts *tokenStore) mintCounts() map[string]int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	out := make(map[string]int, len(ts.mints))
	for dc, n := range ts.mints {
		out[dc] = n
	}
	return out
}

func scopeFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// splitScopes accepts comma- or space-separated scopes and lower-cases them
// for comparison.
func splitScopes(s string) []string {
	fields := scopeFields(s)
	for i, f := range fields {
		fields[i] = strings.ToLower(f)
	}
	return fields
}

// displayScope is the scope as token responses show it: space-separated,
// case kept.
func displayScope(s string) string { return strings.Join(scopeFields(s), " ") }
