package auth

import "testing"

func TestTokenURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://accounts.zoho.eu":  "https://accounts.zoho.eu/oauth/v2/token",
		"https://accounts.zoho.eu/": "https://accounts.zoho.eu/oauth/v2/token",
	} {
		if got := tokenURL(in); got != want {
			t.Errorf("tokenURL(%q) = %q, want %q", in, got, want)
		}
	}
}
