package zohosim

import (
	"errors"
	"fmt"
)

// AddClient registers an OAuth client (a self client or a server-based
// client) in one data centre. The same id may be registered in several data
// centres, with the same or a different secret.
func (s *Sim) AddClient(dc, clientID, clientSecret string) error {
	if !knownDataCenter(dc) {
		return fmt.Errorf("zohosim: unknown data centre %q", dc)
	}
	if clientID == "" || clientSecret == "" {
		return errors.New("zohosim: client id and secret must not be empty")
	}
	s.tokens.addClient(dc, clientID, clientSecret)
	return nil
}

// GrantCode issues a self-client grant code for clientID in dc, valid for
// Config.GrantCodeTTL and usable once. An empty scope means
// Config.DefaultScope. It returns "" when the client is not registered in dc.
func (s *Sim) GrantCode(dc, clientID, scope string) string {
	if !s.tokens.hasClient(dc, clientID) {
		return ""
	}
	if scope == "" {
		scope = s.cfg.DefaultScope
	}
	return s.tokens.issueCode(dc, clientID, scope, s.Now())
}

// SeedRefreshToken creates a refresh token for clientID in dc with
// Config.DefaultScope, as if a grant code had been exchanged, without
// minting an access token. It returns "" when the client is not registered
// in dc.
func (s *Sim) SeedRefreshToken(dc, clientID string) string {
	if !s.tokens.hasClient(dc, clientID) {
		return ""
	}
	token := newToken()
	s.tokens.addRefresh(dc, clientID, token, s.cfg.DefaultScope)
	return token
}

// AddRefreshToken stores a refresh token with a chosen value, so a local
// stack can be configured before the simulator starts. An empty scope means
// Config.DefaultScope.
func (s *Sim) AddRefreshToken(dc, clientID, token, scope string) error {
	if !s.tokens.hasClient(dc, clientID) {
		return fmt.Errorf("zohosim: client is not registered in data centre %q", dc)
	}
	if token == "" {
		return errors.New("zohosim: empty refresh token")
	}
	if scope == "" {
		scope = s.cfg.DefaultScope
	}
	s.tokens.addRefresh(dc, clientID, token, scope)
	return nil
}
