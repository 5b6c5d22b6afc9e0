package faultrun

import (
	"strconv"

	"github.com/zohosync/zohosync/infra/local/stack"
)

// writeConfig writes config/zohosync.yaml with the org pointed at the tap
// (its accounts server; Zoho's API domain then comes from the token answer)
// and sized like the simulated org, and returns its path.
func writeConfig(root, dir, accountsURL string) (string, error) {
	return stack.WriteConfig(root, dir, org,
		"Written by the fault run from config/zohosync.yaml: the org points at the Zoho simulator's tap.",
		map[string]string{"accounts_url": accountsURL, "edition": edition, "users": strconv.Itoa(users)})
}
