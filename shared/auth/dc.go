package auth

import "strings"

// tokenURL is the token endpoint of an accounts server. The data centres
// (accounts servers and API domains) are package zoho's.
func tokenURL(accountsURL string) string {
	return strings.TrimRight(accountsURL, "/") + "/oauth/v2/token"
}
