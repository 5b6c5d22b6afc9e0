package zoho

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// DataCenter is one Zoho data centre: its accounts (OAuth) server, which
// mints tokens, and its CRM API domain, the only host those tokens are valid
// on (elsewhere: 401 INVALID_TOKEN).
//
// Source: Zoho's multi-DC documentation and the official SDKs' data-centre
// tables (https://www.zoho.com/crm/developer/docs/api/multi-dc.html).
type DataCenter struct {
	Name        string
	AccountsURL string
	APIDomain   string
}

// dataCenters lists the data centres Zoho documents. The UK API host is
// not in Zoho's SDK yet (only third-party code uses it).
var dataCenters = map[string]DataCenter{
	"us": {"us", "https://accounts.zoho.com", "https://www.zohoapis.com"},
	"eu": {"eu", "https://accounts.zoho.eu", "https://www.zohoapis.eu"},
	"in": {"in", "https://accounts.zoho.in", "https://www.zohoapis.in"},
	"au": {"au", "https://accounts.zoho.com.au", "https://www.zohoapis.com.au"},
	"jp": {"jp", "https://accounts.zoho.jp", "https://www.zohoapis.jp"},
	"ca": {"ca", "https://accounts.zohocloud.ca", "https://www.zohoapis.ca"},
	"sa": {"sa", "https://accounts.zoho.sa", "https://www.zohoapis.sa"},
	"cn": {"cn", "https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn"},
	"uk": {"uk", "https://accounts.zoho.uk", "https://www.zohoapis.uk"},
}

// LookupDataCenter returns the data centre with the given name (us, eu, in,
// au, jp, ca, sa, cn, uk; case-insensitive), or an error naming the known
// ones.
func LookupDataCenter(name string) (DataCenter, error) {
	dc, ok := dataCenters[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return DataCenter{}, fmt.Errorf("zoho: unknown data centre %q (known: %s)", name, strings.Join(DataCenterNames(), ", "))
	}
	return dc, nil
}

// DataCenterNames returns the known data centre names, sorted.
func DataCenterNames() []string {
	names := make([]string, 0, len(dataCenters))
	for n := range dataCenters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DataCenterOf names the data centre an api_domain belongs to. It knows the
// production hosts and their sandbox. and developer. variants; for any other
// host (a simulator) it reports false.
func DataCenterOf(apiDomain string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(apiDomain))
	if err != nil || u.Host == "" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	for name, dc := range dataCenters {
		want := strings.TrimPrefix(dc.APIDomain, "https://www.")
		for _, prefix := range []string{"www.", "sandbox.", "developer.", ""} {
			if host == prefix+want {
				return name, true
			}
		}
	}
	return "", false
}

// ForDataCenter returns a client pinned to a data centre's API domain: it
// sends there whatever the token says, and refuses a token whose APIDomain
// names another host (that token would only earn INVALID_TOKEN).
func ForDataCenter(hc *http.Client, name string, opts ...Option) (*Client, error) {
	dc, err := LookupDataCenter(name)
	if err != nil {
		return nil, err
	}
	c, err := NewClient(hc, append([]Option{WithBaseURL(dc.APIDomain)}, opts...)...)
	if err != nil {
		return nil, err
	}
	c.pinned = true
	return c, nil
}
