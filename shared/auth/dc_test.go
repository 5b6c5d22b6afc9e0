package auth

import "testing"

func TestLookupDataCenter(t *testing.T) {
	tests := []struct {
		name, accounts, api string
		ok                  bool
	}{
		{"us", "https://accounts.zoho.com", "https://www.zohoapis.com", true},
		{"EU", "https://accounts.zoho.eu", "https://www.zohoapis.eu", true},
		{"au", "https://accounts.zoho.com.au", "https://www.zohoapis.com.au", true},
		{"ca", "https://accounts.zohocloud.ca", "https://www.zohoapis.ca", true},
		{"cn", "https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn", true},
		{"mars", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dc, err := LookupDataCenter(tt.name)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if dc.AccountsURL != tt.accounts || dc.APIDomain != tt.api {
				t.Errorf("got %s %s, want %s %s", dc.AccountsURL, dc.APIDomain, tt.accounts, tt.api)
			}
		})
	}
}

func TestDataCenterOf(t *testing.T) {
	tests := []struct {
		domain, want string
		ok           bool
	}{
		{"https://www.zohoapis.eu", "eu", true},
		{"https://www.zohoapis.com", "us", true},
		{"https://www.zohoapis.com.au", "au", true},
		{"https://www.zohoapis.com.cn/", "cn", true},
		{"https://sandbox.zohoapis.in", "in", true},
		{"https://developer.zohoapis.jp", "jp", true},
		{"http://127.0.0.1:4567", "", false},
		{"https://www.zohoapis.example", "", false},
		{"not a url", "", false},
	}
	for _, tt := range tests {
		got, ok := DataCenterOf(tt.domain)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DataCenterOf(%q) = %q, %v; want %q, %v", tt.domain, got, ok, tt.want, tt.ok)
		}
	}
}

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
