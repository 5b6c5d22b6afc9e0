package tap

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

func isTokenPath(p string) bool {
	return p == "/oauth/v2/token" || p == "/oauth/v2/token/revoke"
}

// noteRequest keeps the credentials a call carries: the Authorization
// header (whole, and the token after the scheme) and, for the accounts
// server, the client secret, refresh token, grant code and revoked token.
func (t *Tap) noteRequest(r *http.Request, body []byte, token bool) {
	var found []string
	if a := r.Header.Get("Authorization"); a != "" {
		found = append(found, a)
		if _, tok, ok := strings.Cut(a, " "); ok {
			found = append(found, strings.TrimSpace(tok))
		}
	}
	if token {
		form, _ := url.ParseQuery(string(body))
		for k, vs := range r.URL.Query() {
			form[k] = append(form[k], vs...)
		}
		for _, k := range []string{"client_secret", "refresh_token", "code", "token"} {
			found = append(found, form[k]...)
		}
	}
	if r.URL.Path == "/oauth/v2/token" {
		t.mu.Lock()
		t.stats.TokenCalls++
		t.mu.Unlock()
	}
	t.addSecrets(found...)
}

// tokenAnswer keeps the tokens an accounts-server answer issued and points
// its api_domain at the tap. An answer that is not a JSON object passes
// unchanged.
func (t *Tap) tokenAnswer(answer []byte) []byte {
	var m map[string]any
	if json.Unmarshal(answer, &m) != nil {
		return answer
	}
	for _, k := range []string{"access_token", "refresh_token"} {
		if s, ok := m[k].(string); ok {
			t.addSecrets(s)
		}
	}
	if _, ok := m["access_token"].(string); ok {
		t.mu.Lock()
		t.stats.Mints++
		t.mu.Unlock()
	}
	if _, ok := m["api_domain"]; !ok {
		return answer
	}
	m["api_domain"] = t.url
	out, err := json.Marshal(m)
	if err != nil {
		return answer
	}
	return out
}

func (t *Tap) addSecrets(vals ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			t.secrets[v] = struct{}{}
		}
	}
}
