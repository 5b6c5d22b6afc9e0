package auth

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestTokenEndpointAnswers runs x/oauth2 against Zoho's real answer bodies
// (testdata/zoho) and checks how each is classified.
func TestTokenEndpointAnswers(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     []byte
		want     outcome
		wantCode string
		apiDom   string
	}{
		{"refresh success", 200, zohoFixture(t, "200-oauth-refresh-success.json"), minted, "", "https://www.zohoapis.eu"},
		{"invalid_code with 200", 200, zohoFixture(t, "200-oauth-invalid_code.json"), rejected, "invalid_code", ""},
		{"invalid_client with 200", 200, zohoFixture(t, "200-oauth-invalid_client.json"), rejected, "invalid_client", ""},
		{"Access Denied with 400", 400, zohoFixture(t, "400-oauth-Access_Denied.json"), throttled, "Access Denied", ""},
		{"Access Denied with 200", 200, zohoFixture(t, "400-oauth-Access_Denied.json"), throttled, "Access Denied", ""},
		{"200 without token or error", 200, []byte(`{"status":"ok"}`), refused, "unreadable_response", ""},
		{"502 html", 502, []byte(`<html>bad gateway 1000.refresh-token-value</html>`), unknown, "server_error", ""},
		{"unknown error code", 200, []byte(`{"error":"invalid_scope"}`), refused, "invalid_scope", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAccounts(t)
			f.setAnswer(func(*http.Request) (int, []byte) { return tt.status, tt.body })
			s := &Store{opt: Options{RefreshTimeout: 5 * time.Second}, configs: map[configKey]*oauth2.Config{}}
			s.base = t.Context()
			g, out, err := s.refresh(f.URL(), Client{ID: f.id, Secret: f.secret}, f.rt)
			if out != tt.want {
				t.Fatalf("outcome = %d, want %d (err %v)", out, tt.want, err)
			}
			if tt.want == minted {
				if err != nil || g.Access == "" || g.APIDomain != tt.apiDom || g.Lifetime != time.Hour {
					t.Fatalf("grant = %+v, err %v; want token, %s, 1h", g, err, tt.apiDom)
				}
				return
			}
			var ee *EndpointError
			if !errors.As(err, &ee) || ee.Code != tt.wantCode || ee.Status != tt.status {
				t.Fatalf("err = %v, want EndpointError %d %q", err, tt.status, tt.wantCode)
			}
			for _, secret := range []string{f.secret, f.rt, "bad gateway"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error text %q leaks %q", err, secret)
				}
			}
		})
	}
}

func TestExchangeFixtureKeepsRefreshToken(t *testing.T) {
	f := newFakeAccounts(t)
	f.setAnswer(func(r *http.Request) (int, []byte) {
		if r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("client_secret") != f.secret {
			return 200, []byte(`{"error":"invalid_client"}`)
		}
		return 200, zohoFixture(t, "200-oauth-grant-success.json")
	})
	s := &Store{opt: Options{RefreshTimeout: 5 * time.Second}, configs: map[configKey]*oauth2.Config{}}
	s.base = t.Context()
	g, out, err := s.exchange(f.URL(), Client{ID: f.id, Secret: f.secret}, "code")
	if out != minted || err != nil {
		t.Fatalf("outcome %d, err %v", out, err)
	}
	if g.Refresh != "1000.0000placeholderrefresh000.0000placeholder0002" || g.APIDomain != "https://www.zohoapis.eu" {
		t.Errorf("grant = %+v", g)
	}
}

func TestTransportErrorIsUnknown(t *testing.T) {
	f := newFakeAccounts(t)
	url := f.URL()
	f.srv.Close()
	s := &Store{opt: Options{RefreshTimeout: 2 * time.Second}, configs: map[configKey]*oauth2.Config{}}
	s.base = t.Context()
	_, out, err := s.refresh(url, Client{ID: f.id, Secret: f.secret}, f.rt)
	if out != unknown || err == nil {
		t.Fatalf("outcome %d err %v, want unknown", out, err)
	}
	if strings.Contains(err.Error(), f.secret) || strings.Contains(err.Error(), f.rt) {
		t.Errorf("error text %q leaks a secret", err)
	}
}

func TestLifetime(t *testing.T) {
	tests := []struct {
		name string
		raw  map[string]any
		in   int64
		want time.Duration
	}{
		{"seconds", nil, 3600, time.Hour},
		{"old milliseconds with expires_in_sec", map[string]any{"expires_in_sec": 3600.0}, 3600000, time.Hour},
		{"milliseconds without expires_in_sec", nil, 3600000, time.Hour},
		{"expires_in_sec as string", map[string]any{"expires_in_sec": "1800"}, 1800000, 30 * time.Minute},
		{"missing", nil, 0, DefaultLifetime},
		{"tiny is raised to a minute", nil, 5, time.Minute},
		{"huge is cut to a day", map[string]any{"expires_in_sec": 1e7}, 0, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := (&oauth2.Token{AccessToken: "x", ExpiresIn: tt.in}).WithExtra(tt.raw)
			if tt.raw == nil {
				tok = &oauth2.Token{AccessToken: "x", ExpiresIn: tt.in}
			}
			if got := lifetime(tok); got != tt.want {
				t.Errorf("lifetime = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWait(t *testing.T) {
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		err    error
		until  time.Time
		reauth bool
	}{
		{ErrReauthorize, time.Time{}, true},
		{errors.Join(errors.New("x"), ErrNotConnected), time.Time{}, true},
		{&MintLimitError{Org: "a", NextAt: at}, at, false},
		{errors.New("other"), time.Time{}, false},
	}
	for _, tt := range tests {
		until, reauth := Wait(tt.err)
		if !until.Equal(tt.until) || reauth != tt.reauth {
			t.Errorf("Wait(%v) = %v %v, want %v %v", tt.err, until, reauth, tt.until, tt.reauth)
		}
	}
}
