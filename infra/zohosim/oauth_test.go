package zohosim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func postToken(h *harness, dc string, form url.Values) map[string]any {
	h.t.Helper()
	status, body := h.tokenCall(dc, form)
	if status != http.StatusOK {
		h.t.Fatalf("token endpoint status %d, want 200", status)
	}
	return body
}

func apiStatus(h *harness, dc, token string) (int, any) {
	h.t.Helper()
	status, _, body := h.callWith(dc, "Zoho-oauthtoken "+token, "POST", "/crm/v8/Leads",
		records(map[string]any{"Last_Name": "T"}), nil)
	return status, body["code"]
}

func TestGrantCodeExchange(t *testing.T) {
	h := newHarness(t, Config{Clock: fixedClock})
	code := h.sim.GrantCode("eu", testClientID, "")
	body := postToken(h, "eu", tokenForm("authorization_code", "code", code, "redirect_uri", "https://example.com/cb"))
	if body["refresh_token"] == nil || body["access_token"] == nil {
		t.Fatalf("exchange body = %v", body)
	}
	if got, want := body["api_domain"], h.srv.APIURL("eu"); got != want {
		t.Errorf("api_domain = %v, want %v", got, want)
	}
	if got := postToken(h, "eu", tokenForm("authorization_code", "code", code)); got["error"] != "invalid_code" {
		t.Errorf("second use: %v, want invalid_code", got)
	}
	late := h.sim.GrantCode("eu", testClientID, "")
	h.sim.Advance(3*time.Minute + time.Second)
	if got := postToken(h, "eu", tokenForm("authorization_code", "code", late)); got["error"] != "invalid_code" {
		t.Errorf("expired code: %v, want invalid_code", got)
	}
	if got := h.sim.GrantCode("jp", testClientID, ""); got != "" {
		t.Errorf("grant code for an unregistered data centre = %q, want empty", got)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	h := newHarness(t, Config{})
	refresh := h.sim.SeedRefreshToken("us", testClientID)
	cases := []struct {
		name string
		dc   string
		form url.Values
		want string
	}{
		{"wrong secret", "us", tokenForm("refresh_token", "refresh_token", refresh, "client_secret", "x"), "invalid_client"},
		{"unknown client", "us", tokenForm("refresh_token", "refresh_token", refresh, "client_id", "other"), "invalid_client"},
		{"other data centre's token", "eu", tokenForm("refresh_token", "refresh_token", refresh), "invalid_code"},
		{"unknown refresh token", "us", tokenForm("refresh_token", "refresh_token", "1000.x.y"), "invalid_code"},
		{"unknown grant type", "us", tokenForm("password"), "unsupported_grant_type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := postToken(h, tc.dc, tc.form); got["error"] != tc.want || got["access_token"] != nil {
				t.Errorf("body = %v, want error %s", got, tc.want)
			}
		})
	}
}

func TestLiveTokenLimitEvictsOldest(t *testing.T) {
	h := newHarness(t, Config{})
	refresh := h.sim.SeedRefreshToken("us", testClientID)
	var tokens []string
	for i := range 16 {
		h.sim.Advance(time.Minute) // stay inside the mint limit of 10 per 10 minutes
		body := postToken(h, "us", tokenForm("refresh_token", "refresh_token", refresh))
		tok, _ := body["access_token"].(string)
		if tok == "" {
			t.Fatalf("mint %d: %v", i+1, body)
		}
		tokens = append(tokens, tok)
	}
	if status, code := apiStatus(h, "us", tokens[0]); status != 401 || code != "INVALID_TOKEN" {
		t.Errorf("oldest token after 16 mints: %d %v, want 401 INVALID_TOKEN", status, code)
	}
	if status, _ := apiStatus(h, "us", tokens[1]); status != 201 {
		t.Errorf("second token after 16 mints: %d, want 201", status)
	}
}

func TestMintThrottle(t *testing.T) {
	h := newHarness(t, Config{Clock: fixedClock})
	refresh := h.sim.SeedRefreshToken("us", testClientID)
	for i := range 10 {
		if body := postToken(h, "us", tokenForm("refresh_token", "refresh_token", refresh)); body["access_token"] == nil {
			t.Fatalf("mint %d refused: %v", i+1, body)
		}
	}
	body := postToken(h, "us", tokenForm("refresh_token", "refresh_token", refresh))
	if body["error"] != "Access Denied" || body["status"] != "failure" {
		t.Errorf("11th mint: %v, want Access Denied", body)
	}
	h.sim.Advance(10 * time.Minute)
	if body := postToken(h, "us", tokenForm("refresh_token", "refresh_token", refresh)); body["access_token"] == nil {
		t.Errorf("mint after the window: %v", body)
	}
}

func TestAccessTokenExpiry(t *testing.T) {
	h := newHarness(t, Config{Clock: fixedClock})
	h.sim.SetAccessTokenTTL(time.Minute)
	refresh := h.sim.SeedRefreshToken("us", testClientID)
	body := postToken(h, "us", tokenForm("refresh_token", "refresh_token", refresh))
	if body["expires_in"] != json.Number("60") {
		t.Errorf("expires_in = %v, want 60", body["expires_in"])
	}
	tok := body["access_token"].(string)
	if status, _ := apiStatus(h, "us", tok); status != 201 {
		t.Fatalf("fresh token: %d", status)
	}
	h.sim.Advance(time.Minute)
	if status, code := apiStatus(h, "us", tok); status != 401 || code != "INVALID_TOKEN" {
		t.Errorf("expired token: %d %v", status, code)
	}
}

func TestTokenWorksOnlyOnItsDataCentre(t *testing.T) {
	h := newHarness(t, Config{})
	eu := h.mint("eu")
	if status, _ := apiStatus(h, "eu", eu); status != 201 {
		t.Errorf("eu token on eu: %d, want 201", status)
	}
	if status, code := apiStatus(h, "us", eu); status != 401 || code != "INVALID_TOKEN" {
		t.Errorf("eu token on us: %d %v, want 401 INVALID_TOKEN", status, code)
	}
	if h.srv.APIURL("eu") == h.srv.APIURL("us") {
		t.Error("eu and us share an API URL")
	}
}

func TestAuthorizationHeader(t *testing.T) {
	cases := []struct {
		name       string
		bearer     bool
		header     func(tok string) string
		wantStatus int
		wantCode   any
	}{
		{"zoho scheme", false, func(tok string) string { return "Zoho-oauthtoken " + tok }, 201, nil},
		{"missing", false, func(string) string { return "" }, 401, "AUTHENTICATION_FAILURE"},
		{"bearer rejected", false, func(tok string) string { return "Bearer " + tok }, 401, "INVALID_TOKEN"},
		{"bearer accepted", true, func(tok string) string { return "Bearer " + tok }, 201, nil},
		{"no token", false, func(string) string { return "Zoho-oauthtoken" }, 401, "INVALID_TOKEN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{Unconfirmed: Unconfirmed{AcceptBearer: tc.bearer}})
			status, _, body := h.callWith("us", tc.header(h.token), "POST", "/crm/v8/Leads", records(map[string]any{"Last_Name": "T"}), nil)
			if status != tc.wantStatus || body["code"] != tc.wantCode {
				t.Errorf("got %d %v, want %d %v", status, body["code"], tc.wantStatus, tc.wantCode)
			}
		})
	}
}

func TestRevoke(t *testing.T) {
	h := newHarness(t, Config{})
	refresh := h.sim.SeedRefreshToken("us", testClientID)
	tok := postToken(h, "us", tokenForm("refresh_token", "refresh_token", refresh))["access_token"].(string)
	resp, err := h.http.PostForm(h.srv.AccountsURL("us")+"/oauth/v2/token/revoke?token="+url.QueryEscape(refresh), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, body := decodeResponse(t, resp); body["status"] != "success" {
		t.Fatalf("revoke: %v", body)
	}
	if status, _ := apiStatus(h, "us", tok); status != 401 {
		t.Errorf("access token of a revoked refresh token: %d, want 401", status)
	}
	if got := postToken(h, "us", tokenForm("refresh_token", "refresh_token", refresh)); got["error"] != "invalid_code" {
		t.Errorf("refresh with a revoked token: %v", got)
	}
	logged, err := json.Marshal(h.sim.Log())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{refresh, tok, h.token, testClientSecret} {
		if strings.Contains(string(logged), secret) {
			t.Errorf("request log holds a token or secret")
		}
	}
}

func TestScopes(t *testing.T) {
	cases := []struct {
		scope, path string
		body        map[string]any
		want        int
	}{
		{"ZohoCRM.modules.leads.CREATE", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A"}), 201},
		{"ZohoCRM.modules.contacts.ALL", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A"}), 401},
		{"ZohoCRM.modules.leads.READ", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A"}), 401},
		{"ZohoCRM.modules.WRITE", "/crm/v8/Leads/upsert", records(map[string]any{"Last_Name": "A"}), 200},
		{"ZohoCRM.modules.custom.ALL", "/crm/v8/Subscriptions", records(map[string]any{"Name": "A"}), 201},
		{"ZohoCRM.modules.ALL", "/crm/v8/__composite_requests", composite(false, sub("a", "POST", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A"}))), 401},
		{"ZohoCRM.composite_requests.CUSTOM", "/crm/v8/__composite_requests", composite(false, sub("a", "POST", "/crm/v8/Leads", records(map[string]any{"Last_Name": "A"}))), 200},
	}
	for _, tc := range cases {
		t.Run(tc.scope+" "+tc.path, func(t *testing.T) {
			h := newHarness(t, Config{})
			code := h.sim.GrantCode("us", testClientID, tc.scope)
			tok := postToken(h, "us", tokenForm("authorization_code", "code", code))["access_token"].(string)
			status, _, body := h.callWith("us", "Zoho-oauthtoken "+tok, "POST", tc.path, tc.body, nil)
			if status != tc.want {
				t.Errorf("status = %d, want %d: %v", status, tc.want, body)
			}
			if tc.want == 401 && body["code"] != "OAUTH_SCOPE_MISMATCH" {
				t.Errorf("code = %v, want OAUTH_SCOPE_MISMATCH", body["code"])
			}
		})
	}
}

func TestRefreshTokenLimitPerUser(t *testing.T) {
	h := newHarness(t, Config{MaxRefreshTokens: 3})
	first := h.sim.SeedRefreshToken("eu", testClientID)
	for range 3 {
		h.sim.SeedRefreshToken("eu", testClientID)
	}
	if got := postToken(h, "eu", tokenForm("refresh_token", "refresh_token", first)); got["error"] != "invalid_code" {
		t.Errorf("evicted refresh token: %v, want invalid_code", got)
	}
}

func TestTokenMintsCounted(t *testing.T) {
	h := newHarness(t, Config{})
	h.mint("eu")
	st := h.sim.Stats()
	if st.TokenMints["us"] != 1 || st.TokenMints["eu"] != 1 || st.TokenMintsTotal != 2 {
		t.Errorf("mints = %v total %d, want us 1, eu 1", st.TokenMints, st.TokenMintsTotal)
	}
	for _, e := range h.sim.Log() {
		if e.Endpoint == "token" && e.ClientID != testClientID {
			t.Errorf("log entry client = %q", e.ClientID)
		}
	}
}
