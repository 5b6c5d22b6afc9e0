package faultrun

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"gopkg.in/yaml.v3"
)

// writeConfig writes config/zohosync.yaml with the org pointed at the tap
// (its accounts server; Zoho's API domain then comes from the token answer)
// and sized like the simulated org, and returns its path.
func writeConfig(root, dir, accountsURL string) (string, error) {
	src := filepath.Join(root, "config", "zohosync.yaml")
	b, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		return "", fmt.Errorf("%s: %v", src, err)
	}
	o := mapGet(mapGet(doc.Content[0], "orgs"), org)
	if o == nil {
		return "", fmt.Errorf("%s: no org %q", src, org)
	}
	mapSet(o, "accounts_url", accountsURL)
	mapSet(o, "edition", edition)
	mapSet(o, "users", strconv.Itoa(users))
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "zohosync.yaml")
	header := "# Written by the fault run from config/zohosync.yaml: the org points at the Zoho simulator's tap.\n"
	return path, os.WriteFile(path, append([]byte(header), out...), 0o644)
}

func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// mapSet sets a scalar under key, adding the key when missing.
func mapSet(n *yaml.Node, key, value string) {
	if v := mapGet(n, key); v != nil {
		v.Kind, v.Tag, v.Value = yaml.ScalarNode, "", value
		return
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Value: value})
}
