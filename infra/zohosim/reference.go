package zohosim

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// References are @{sub_request_id:$.json.path} inside a sub-request's uri,
// params or body (docs/ZOHO.md §3). The JSONPath subset is $ followed by .name,
// [index] or ['name'] steps, evaluated on the referred sub-request's inner
// response body.

var (
	refPattern   = regexp.MustCompile(`@\{([^{}:]*):([^{}]*)\}`)
	subIDPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_]*$`)
	pathName     = regexp.MustCompile(`^[A-Za-z0-9_$]+`)
)

// reference is one @{...} found in a sub-request.
type reference struct {
	raw     string
	id      string
	path    []any // string keys and int indexes
	apiName string
	where   string // json_path of the value holding it
}

// pathStep parses a JSONPath of the supported subset.
func parsePath(p string) ([]any, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("path must start with $")
	}
	var steps []any
	rest := p[1:]
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "."):
			name := pathName.FindString(rest[1:])
			if name == "" {
				return nil, fmt.Errorf("bad name in %q", p)
			}
			steps, rest = append(steps, name), rest[1+len(name):]
		case strings.HasPrefix(rest, "['") || strings.HasPrefix(rest, `["`):
			end := strings.Index(rest[2:], string(rest[1])+"]")
			if end < 0 {
				return nil, fmt.Errorf("unclosed key in %q", p)
			}
			steps, rest = append(steps, rest[2:2+end]), rest[2+end+2:]
		case strings.HasPrefix(rest, "["):
			end := strings.Index(rest, "]")
			n, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil || n < 0 {
				return nil, fmt.Errorf("bad index in %q", p)
			}
			steps, rest = append(steps, n), rest[end+1:]
		default:
			return nil, fmt.Errorf("unexpected %q in %q", rest, p)
		}
	}
	return steps, nil
}

// evalPath follows steps through decoded JSON.
func evalPath(v any, steps []any) (any, bool) {
	for _, st := range steps {
		switch k := st.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[k]; !ok {
				return nil, false
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil, false
			}
			v = a[k]
		}
	}
	return v, true
}

// findRefs collects the references in a string; ok is false when the string
// holds a malformed one.
func findRefs(s, apiName, where string) ([]reference, bool) {
	matches := refPattern.FindAllStringSubmatch(s, -1)
	if strings.Count(s, "@{") != len(matches) {
		return nil, false
	}
	refs := make([]reference, 0, len(matches))
	for _, m := range matches {
		steps, err := parsePath(m[2])
		if err != nil || !subIDPattern.MatchString(m[1]) {
			return []reference{{raw: m[0], apiName: apiName, where: where}}, false
		}
		refs = append(refs, reference{raw: m[0], id: m[1], path: steps, apiName: apiName, where: where})
	}
	return refs, true
}

// walkStrings calls fn for every string in v with its api name and path.
func walkStrings(v any, apiName, path string, fn func(s, apiName, path string)) {
	switch x := v.(type) {
	case string:
		fn(x, apiName, path)
	case map[string]any:
		keys := sortedKeys(x)
		for _, k := range keys {
			walkStrings(x[k], k, path+"."+k, fn)
		}
	case []any:
		for i, e := range x {
			walkStrings(e, apiName, path+"["+strconv.Itoa(i)+"]", fn)
		}
	}
}

// substitute returns v with every reference replaced. resolve maps a
// reference to its value. A string that is exactly one reference takes the
// value's JSON type; references inside longer strings must be scalars.
func substitute(v any, resolve func(reference) (any, bool)) (any, *reference) {
	switch x := v.(type) {
	case string:
		return substituteString(x, resolve)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			nv, bad := substitute(e, resolve)
			if bad != nil {
				return nil, bad
			}
			out[k] = nv
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			nv, bad := substitute(e, resolve)
			if bad != nil {
				return nil, bad
			}
			out[i] = nv
		}
		return out, nil
	}
	return v, nil
}

func substituteString(s string, resolve func(reference) (any, bool)) (any, *reference) {
	refs, _ := findRefs(s, "", "")
	if len(refs) == 0 {
		return s, nil
	}
	if len(refs) == 1 && refs[0].raw == s {
		val, ok := resolve(refs[0])
		if !ok {
			return nil, &refs[0]
		}
		return val, nil
	}
	out := s
	for i := range refs {
		val, ok := resolve(refs[i])
		text, scalar := scalarText(val)
		if !ok || !scalar {
			return nil, &refs[i]
		}
		out = strings.Replace(out, refs[i].raw, text, 1)
	}
	return out, nil
}

func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return string(x), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// sortedInts returns the keys of a set in order.
func sortedInts(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
