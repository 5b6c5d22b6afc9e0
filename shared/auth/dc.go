package auth

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// DataCenter is one Zoho data centre: the accounts server that mints tokens
// and the API domain its tokens are valid on. A token used on another data
// centre's API host is refused with INVALID_TOKEN.
//
// Source: Zoho's multi-DC documentation and the official SDKs' data-centre
// tables (https://www.zoho.com/crm/developer/docs/api/multi-dc.html).
type DataCenter struct {
	Name        string
	AccountsURL string
	APIDomain   string
}

// dataCenters lists the production data centres by lower-case name. The UK
// API host is not in the official SDK; it follows the other centres' pattern.
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

// LookupDataCenter returns the data centre of the given name (us, eu, in,
// au, jp, ca, sa, cn, uk; case-insensitive). Unknown names are an error.
func LookupDataCenter(name string) (DataCenter, error) {
	dc, ok := dataCenters[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return DataCenter{}, fmt.Errorf("unknown Zoho data centre %q (known: %s)", name, strings.Join(dataCenterNames(), ", "))
	}
	return dc, nil
}

func dataCenterNames() []string {
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

// tokenURL is the token endpoint of an accounts server.
func tokenURL(accountsURL string) string {
	return strings.TrimRight(accountsURL, "/") + "/oauth/v2/token"
}
