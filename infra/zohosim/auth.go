package zohosim

import (
	"strings"
)

// bearer extracts the access token from the Authorization header. Only
// "Zoho-oauthtoken <token>" is documented; "Bearer" is accepted only with
// Unconfirmed.AcceptBearer. A missing header is AUTHENTICATION_FAILURE,
// anything else that fails is INVALID_TOKEN (docs/ZOHO.md §2, §6.3).
func (s *Sim) bearer(header string) (string, *apiError) {
	if strings.TrimSpace(header) == "" {
		return "", errAuthFailure()
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return "", errInvalidToken()
	case strings.EqualFold(scheme, "Zoho-oauthtoken"):
		return token, nil
	case strings.EqualFold(scheme, "Bearer") && s.cfg.Unconfirmed.AcceptBearer:
		return token, nil
	}
	return "", errInvalidToken()
}

// authenticate checks the header against live access tokens of dc.
func (s *Sim) authenticate(header, dc string) (accessToken, *apiError) {
	token, err := s.bearer(header)
	if err != nil {
		return accessToken{}, err
	}
	at, ok := s.tokens.authenticate(token, dc, s.Now())
	if !ok {
		return accessToken{}, errInvalidToken()
	}
	return at, nil
}

// scopeOps are the operation types that grant each endpoint (per Zoho's
// insert, update and upsert pages).
var scopeOps = map[string][]string{
	"insert": {"all", "create", "write"},
	"update": {"all", "update", "write"},
	"upsert": {"all", "create", "write"},
}

// allows reports whether the token's scopes cover endpoint on mod:
// ZohoCRM.modules.ALL, ZohoCRM.modules.{op} or
// ZohoCRM.modules.{module}.{op}; composite needs
// ZohoCRM.composite_requests.CUSTOM.
func (at accessToken) allows(endpoint string, mod *module) bool {
	if endpoint == "composite" {
		return containsString(at.scopes, "zohocrm.composite_requests.custom")
	}
	ops := scopeOps[endpoint]
	if mod == nil || ops == nil {
		return true
	}
	for _, sc := range at.scopes {
		rest, ok := strings.CutPrefix(sc, "zohocrm.modules.")
		if !ok {
			continue
		}
		name, op, found := strings.Cut(rest, ".")
		if !found {
			name, op = mod.scopeName(), name
		}
		if name == strings.ToLower(mod.scopeName()) && containsString(ops, op) {
			return true
		}
	}
	return false
}
