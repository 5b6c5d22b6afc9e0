package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"
)

// WriteConfig writes dir/zohosync.yaml: the shipped config/zohosync.yaml with
// the scalar settings in set (accounts_url, edition, users ...) written into
// org's entry, added when missing, and header as its first comment line. It
// returns the file's path. Local runs change only what points the org at the
// simulator; everything else is the config that ships.
func WriteConfig(root, dir, org, header string, set map[string]string) (string, error) {
	src := filepath.Join(root, "config", "zohosync.yaml")
	b, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		return "", fmt.Errorf("%s: not a YAML document: %v", src, err)
	}
	o := yamlGet(yamlGet(doc.Content[0], "orgs"), org)
	if o == nil {
		return "", fmt.Errorf("%s: no org %q", src, org)
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		yamlSet(o, k, set[k])
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "zohosync.yaml")
	return path, os.WriteFile(path, append([]byte("# "+header+"\n"), out...), 0o644)
}

func yamlGet(n *yaml.Node, key string) *yaml.Node {
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

// yamlSet sets a scalar under key, adding the key when missing.
func yamlSet(n *yaml.Node, key, value string) {
	if v := yamlGet(n, key); v != nil {
		v.Kind, v.Tag, v.Value, v.Content = yaml.ScalarNode, "", value, nil
		return
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Value: value})
}
