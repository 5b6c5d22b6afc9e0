package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/oauth2"
)

// outcome classifies one call to the token endpoint.
type outcome int

const (
	// minted: a new access token came back.
	minted outcome = iota
	// rejected: the refresh token, grant code or client is no good; only a
	// new connect helps.
	rejected
	// throttled: Zoho answered Access Denied (too many mints).
	throttled
	// refused: any other definite error answer; no token was minted.
	refused
	// unknown: no usable answer (network, timeout, 5xx); a token may have
	// been minted, so the attempt counts against the cap.
	unknown
)

// grant is the useful part of a token response.
type grant struct {
	Access    string
	Refresh   string
	APIDomain string
	Lifetime  time.Duration
}

// rejectCodes are the token endpoint's error codes that mean the stored
// refresh token or the client credentials will never work again.
var rejectCodes = map[string]bool{
	"invalid_code":          true,
	"invalid_client":        true,
	"invalid_client_secret": true,
	"invalid_grant":         true,
	"unauthorized_client":   true,
}

// refresh mints an access token from a refresh token. The call runs on the
// Store's long-lived context, bounded by RefreshTimeout, not on the caller's
// context: once started, a mint is allowed to finish so it is not wasted.
func (s *Store) refresh(accountsURL string, c Client, refreshToken string) (grant, outcome, error) {
	ctx, cancel := context.WithTimeout(s.base, s.opt.RefreshTimeout)
	defer cancel()
	src := s.oauthConfig(accountsURL, c).TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken})
	tok, err := src.Token()
	return readGrant(tok, err)
}

// exchange trades a grant code for a refresh token and a first access token.
func (s *Store) exchange(accountsURL string, c Client, code string) (grant, outcome, error) {
	ctx, cancel := context.WithTimeout(s.base, s.opt.RefreshTimeout)
	defer cancel()
	tok, err := s.oauthConfig(accountsURL, c).Exchange(ctx, code)
	return readGrant(tok, err)
}

// readGrant turns x/oauth2's answer into a grant or a classified error whose
// text holds no secret. x/oauth2 (v0.38.0) already treats a 200 answer with
// an "error" field as a *RetrieveError and one without access_token as an
// error; its error text can include the response body, so it is never
// passed on.
func readGrant(tok *oauth2.Token, err error) (grant, outcome, error) {
	if err != nil {
		out, cerr := classify(err)
		return grant{}, out, cerr
	}
	if tok == nil || tok.AccessToken == "" {
		return grant{}, refused, &EndpointError{Status: 200, Code: "missing_access_token"}
	}
	g := grant{Access: tok.AccessToken, Refresh: tok.RefreshToken, Lifetime: lifetime(tok)}
	if d, ok := tok.Extra("api_domain").(string); ok {
		g.APIDomain = strings.TrimRight(strings.TrimSpace(d), "/")
	}
	return g, minted, nil
}

func classify(err error) (outcome, error) {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		code := safeCode(re.ErrorCode)
		switch {
		case rejectCodes[strings.ToLower(code)]:
			return rejected, &EndpointError{Status: status, Code: code}
		case isAccessDenied(code):
			return throttled, &EndpointError{Status: status, Code: code}
		case status >= 500:
			return unknown, &EndpointError{Status: status, Code: "server_error"}
		case code == "":
			return refused, &EndpointError{Status: status, Code: "unreadable_response"}
		default:
			return refused, &EndpointError{Status: status, Code: code}
		}
	}
	var ue *url.Error
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return unknown, errors.New("token endpoint: timed out")
	case errors.As(err, &ne) && ne.Timeout():
		return unknown, errors.New("token endpoint: timed out")
	case errors.As(err, &ue):
		// The URL is the accounts server's token endpoint; credentials
		// travel in the request body, so the text holds no secret.
		return unknown, fmt.Errorf("token endpoint: %w", ue.Err)
	}
	// x/oauth2's own errors (unparsable body, missing access_token) may
	// quote the body: keep none of it.
	return refused, &EndpointError{Status: 200, Code: "unreadable_response"}
}

// isAccessDenied matches Zoho's throttle answer ("Access Denied") and the
// grant-code variant ("access_denied").
func isAccessDenied(code string) bool {
	c := strings.ToLower(strings.ReplaceAll(code, "_", " "))
	return c == "access denied"
}

// safeCode keeps an error code printable and short enough to log.
func safeCode(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == ' ' || r == '.' || r == '-') {
			return r
		}
		return -1
	}, s)
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}

// lifetime reads how long a new access token lives. Zoho states seconds in
// expires_in; old answers stated milliseconds there and seconds in
// expires_in_sec. A value over a day cannot be seconds for a Zoho access
// token and is read as milliseconds; no value means one hour. The result is
// kept between one minute and one day, so a bad answer can neither force a
// refresh per call nor pin a dead token for weeks.
func lifetime(tok *oauth2.Token) time.Duration {
	var d time.Duration
	if sec := extraNumber(tok.Extra("expires_in_sec")); sec > 0 {
		d = time.Duration(sec) * time.Second
	} else if n := tok.ExpiresIn; n > 86400 {
		d = time.Duration(n) * time.Millisecond
	} else if n > 0 {
		d = time.Duration(n) * time.Second
	} else {
		d = DefaultLifetime
	}
	return min(max(d, time.Minute), 24*time.Hour)
}

func extraNumber(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case string:
		n, _ := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n
	}
	return 0
}
