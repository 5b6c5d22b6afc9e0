package zohosim

import (
	"errors"
	"net/http"
	"time"
)

// serveToken is the accounts server: POST /oauth/v2/token (form or query
// parameters) and POST /oauth/v2/token/revoke?token=... Errors are HTTP 200
// with an "error" field, as Zoho answers them (docs/ZOHO.md §6.2).
func (h *dcHandler) serveToken(w http.ResponseWriter, r *http.Request) {
	s := h.sim
	endpoint := "token"
	if r.URL.Path == "/oauth/v2/token/revoke" {
		endpoint = "revoke"
	}
	x := h.newExchange(w, r, endpoint)
	defer x.done()
	if f, ok := s.faults.fire(faultQuery{endpoint: endpoint, dc: h.dc}, requestActions, s.Now(), s.rng); ok && !x.preFault(f) {
		return
	}
	if r.Method != http.MethodPost {
		x.reply(http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request"})
		return
	}
	if err := r.ParseForm(); err != nil {
		x.reply(http.StatusOK, map[string]string{"error": "invalid_request"})
		return
	}
	if !x.pause(s.latency.get("token").sample(s.rng)) {
		return
	}
	x.entry.ClientID = r.Form.Get("client_id")
	if endpoint == "revoke" {
		h.revoke(x, r.Form.Get("token"))
		return
	}
	h.grant(x, r)
}

func (h *dcHandler) grant(x *exchange, r *http.Request) {
	s := h.sim
	now, ttl := s.Now(), time.Duration(s.tokenTTL.Load())
	id, secret := r.Form.Get("client_id"), r.Form.Get("client_secret")
	var g grant
	var err error
	switch r.Form.Get("grant_type") {
	case "authorization_code":
		g, err = s.tokens.exchangeCode(h.dc, id, secret, r.Form.Get("code"), now, ttl)
	case "refresh_token":
		g, err = s.tokens.refreshAccess(h.dc, id, secret, r.Form.Get("refresh_token"), now, ttl)
	default:
		err = errGrantTy
	}
	if err != nil {
		h.tokenError(x, err)
		return
	}
	x.reply(http.StatusOK, h.tokenBody(g))
}

// tokenBody renders a grant; refresh_token appears only for a code exchange.
func (h *dcHandler) tokenBody(g grant) map[string]any {
	body := map[string]any{
		"access_token": g.access,
		"scope":        g.scope,
		"api_domain":   h.srv.APIURL(h.dc),
		"token_type":   "Bearer",
		"expires_in":   int64(g.ttl / time.Second),
	}
	if g.refresh != "" {
		body["refresh_token"] = g.refresh
	}
	return body
}

func (h *dcHandler) tokenError(x *exchange, err error) {
	x.entry.Code = err.Error()
	if errors.Is(err, errDenied) {
		x.reply(h.sim.cfg.Unconfirmed.AccessDeniedStatus, map[string]string{
			"error_description": "You have made too many requests continuously. Please try again after some time.",
			"error":             "Access Denied",
			"status":            "failure",
		})
		return
	}
	x.reply(http.StatusOK, map[string]string{"error": err.Error()})
}

// revoke answers {"status":"success"} for a known token of this data centre
// and {"error":"invalid_code"} otherwise (the success body is assembled,
// not documented).
func (h *dcHandler) revoke(x *exchange, token string) {
	if token == "" || !h.sim.tokens.revoke(h.dc, token) {
		x.entry.Code = errCode.Error()
		x.reply(http.StatusOK, map[string]string{"error": errCode.Error()})
		return
	}
	x.reply(http.StatusOK, map[string]string{"status": "success"})
}
