package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// writeConfig writes config/zohosync.yaml with every org's accounts server
// pointed at the simulator (Zoho's API domain then comes from the token
// answer, as in production) into dir and returns its path.
func writeConfig(root, dir, accountsURL string) (string, error) {
	src := filepath.Join(root, "config", "zohosync.yaml")
	b, err := os.ReadFile(src)
	if err != nil {
		return "", fmt.Errorf("read config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		return "", fmt.Errorf("parse %s: %v", src, err)
	}
	orgs := child(doc.Content[0], "orgs")
	if orgs == nil || orgs.Kind != yaml.MappingNode {
		return "", fmt.Errorf("%s: no orgs", src)
	}
	for i := 1; i < len(orgs.Content); i += 2 {
		org := orgs.Content[i]
		if v := child(org, "accounts_url"); v != nil {
			v.Value = accountsURL
			continue
		}
		org.Content = append(org.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "accounts_url"},
			&yaml.Node{Kind: yaml.ScalarNode, Value: accountsURL})
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "zohosync.yaml")
	return path, os.WriteFile(path, out, 0o644)
}

// child returns the value of key in a mapping node, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
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

// functionSettings reads each function's memory size (MB) and timeout from
// template.yaml: its own properties, else Globals.Function's.
func functionSettings(root string) (memory map[string]int, timeouts map[string]time.Duration, err error) {
	b, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, nil, fmt.Errorf("read template: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		return nil, nil, fmt.Errorf("parse template: %v", err)
	}
	top := doc.Content[0]
	globals := child(child(top, "Globals"), "Function")
	res := child(top, "Resources")
	memory, timeouts = map[string]int{}, map[string]time.Duration{}
	for _, fn := range []string{"IngestFunction", "SyncFunction", "RefreshFunction", "AdminFunction"} {
		props := child(child(res, fn), "Properties")
		mem, err := intProp(props, globals, "MemorySize")
		if err != nil {
			return nil, nil, fmt.Errorf("template %s: %w", fn, err)
		}
		to, err := intProp(props, globals, "Timeout")
		if err != nil {
			return nil, nil, fmt.Errorf("template %s: %w", fn, err)
		}
		memory[fn], timeouts[fn] = mem, time.Duration(to)*time.Second
	}
	return memory, timeouts, nil
}

func intProp(props, globals *yaml.Node, key string) (int, error) {
	v := child(props, key)
	if v == nil {
		v = child(globals, key)
	}
	if v == nil {
		return 0, fmt.Errorf("no %s", key)
	}
	return strconv.Atoi(v.Value)
}
