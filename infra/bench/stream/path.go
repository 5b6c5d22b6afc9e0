package stream

import (
	"fmt"
	"strconv"
	"strings"
)

// set replaces the value at path in a decoded JSON document. A path is
// dot-separated keys, each optionally followed by [index] steps:
// "data.object.custom_fields[0].text.value". Every step must exist, so a
// changed sample fails loudly instead of silently not varying.
func set(doc any, path string, v any) error {
	steps, err := parsePath(path)
	if err != nil {
		return err
	}
	cur := doc
	for i, st := range steps {
		last := i == len(steps)-1
		switch s := st.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: %q is not inside an object", path, s)
			}
			if _, ok := m[s]; !ok {
				return fmt.Errorf("%s: no key %q", path, s)
			}
			if last {
				m[s] = v
				return nil
			}
			cur = m[s]
		case int:
			a, ok := cur.([]any)
			if !ok || s >= len(a) {
				return fmt.Errorf("%s: no element %d", path, s)
			}
			if last {
				a[s] = v
				return nil
			}
			cur = a[s]
		}
	}
	return nil
}

// parsePath splits a path into string keys and int indexes.
func parsePath(path string) ([]any, error) {
	var steps []any
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key == "" {
			return nil, fmt.Errorf("path %q: empty key", path)
		}
		steps = append(steps, key)
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			n, err := strconv.Atoi(idx)
			if !ok || err != nil || n < 0 {
				return nil, fmt.Errorf("path %q: bad index %q", path, idx)
			}
			steps = append(steps, n)
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return steps, nil
}
