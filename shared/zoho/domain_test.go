package zoho

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"

	"github.com/zohosync/zohosync/shared/core"
)

// closedLoopbackURL returns an http URL on a loopback port nothing listens
// on.
func closedLoopbackURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestAPIDomainChecks(t *testing.T) {
	tests := []struct {
		domain string
		ok     bool
	}{
		{"http://127.0.0.1:1", true},
		{"http://[::1]:1", true},
		{"http://localhost:1", true},
		{"http://www.zohoapis.com", false},
		{"", false},
		{"www.zohoapis.com", false},
		{"https://user:pw@www.zohoapis.com", false},
		{"https://www.zohoapis.com?x=1", false},
		{"ftp://www.zohoapis.com", false},
	}
	c, _ := NewClient(http.DefaultClient)
	for _, tt := range tests {
		_, err := c.baseFor(core.Token{APIDomain: tt.domain})
		if (err == nil) != tt.ok {
			t.Errorf("domain %q: err = %v, want ok=%v", tt.domain, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrBadDomain) {
			t.Errorf("domain %q: err = %v, want ErrBadDomain", tt.domain, err)
		}
	}
	if _, err := c.Do(context.Background(), core.Token{Access: "t", APIDomain: "http://zoho.example"}, inserts(1)); !errors.Is(err, ErrBadDomain) {
		t.Errorf("plain-http remote domain: err = %v, want ErrBadDomain", err)
	}
}

func TestDataCenters(t *testing.T) {
	tests := []struct {
		name, api, accounts string
	}{
		{"us", "https://www.zohoapis.com", "https://accounts.zoho.com"},
		{"EU", "https://www.zohoapis.eu", "https://accounts.zoho.eu"},
		{"in", "https://www.zohoapis.in", "https://accounts.zoho.in"},
		{"au", "https://www.zohoapis.com.au", "https://accounts.zoho.com.au"},
		{"jp", "https://www.zohoapis.jp", "https://accounts.zoho.jp"},
		{"ca", "https://www.zohoapis.ca", "https://accounts.zohocloud.ca"},
		{"sa", "https://www.zohoapis.sa", "https://accounts.zoho.sa"},
		{"cn", "https://www.zohoapis.com.cn", "https://accounts.zoho.com.cn"},
		{"uk", "https://www.zohoapis.uk", "https://accounts.zoho.uk"},
	}
	for _, tt := range tests {
		dc, err := LookupDataCenter(tt.name)
		if err != nil || dc.APIDomain != tt.api || dc.AccountsURL != tt.accounts {
			t.Errorf("%s: %+v, %v; want %s, %s", tt.name, dc, err, tt.api, tt.accounts)
		}
	}
	if len(DataCenterNames()) != len(tests) {
		t.Errorf("%d data centres, want %d", len(DataCenterNames()), len(tests))
	}
	if _, err := LookupDataCenter("mars"); err == nil {
		t.Error("unknown data centre accepted")
	}
	if _, err := ForDataCenter(http.DefaultClient, "mars"); err == nil {
		t.Error("ForDataCenter accepted an unknown region")
	}
	eu, err := ForDataCenter(http.DefaultClient, "eu")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eu.baseFor(core.Token{APIDomain: "https://www.zohoapis.com"}); !errors.Is(err, ErrBadDomain) {
		t.Errorf("US token on EU client: err = %v, want ErrBadDomain", err)
	}
	if u, err := eu.baseFor(core.Token{APIDomain: "https://www.zohoapis.eu"}); err != nil || u.Host != "www.zohoapis.eu" {
		t.Errorf("EU token on EU client: %v, %v", u, err)
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
