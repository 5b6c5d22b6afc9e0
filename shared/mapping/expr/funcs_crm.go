package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The CRM transforms. See the package doc for the list.
func init() {
	register("email", &function{args: []kind{kString}, nullIn: true, fn: fnEmail})
	register("split_name", &function{args: []kind{kString}, nullIn: true, fn: fnSplitName})
	register("phone", &function{args: []kind{kString | kNumber, kString}, optional: 1, nullIn: true, check: checkCountry, fn: fnPhone})
	register("phone_ext", &function{args: []kind{kString | kNumber, kString}, optional: 1, nullIn: true, check: checkCountry, fn: fnPhoneExt})
	register("date", &function{args: []kind{kString | kNumber, kString}, optional: 1, nullIn: true, check: checkZone, fn: fnDate})
	register("datetime", &function{args: []kind{kString | kNumber, kString}, optional: 1, nullIn: true, check: checkZone, fn: fnDatetime})
	register("money", &function{args: []kind{kNumber | kString, kString}, nullIn: true, check: checkCurrency, fn: fnMoney})
	register("picklist", &function{args: []kind{kAny, kString, kAny}, optional: 1, check: checkPicklist, fn: fnPicklist})
	register("multiselect", &function{args: []kind{kArray | kString | kNumber, kString}, optional: 1, nullIn: true, fn: fnMultiselect})
	register("lookup", &function{args: []kind{kString | kNumber}, nullIn: true, fn: fnLookup})
	register("truncate", &function{args: []kind{kString, kNumber}, nullIn: true, fn: fnTruncate})
	register("default", &function{args: []kind{kAny, kAny}, fn: fnDefault})
	register("coalesce", &function{args: []kind{kAny}, variadic: true, fn: fnCoalesce})
	register("compact", &function{args: []kind{kArray}, nullIn: true, fn: fnCompact})
	register("concat", &function{args: []kind{kNull | kBool | kString | kNumber}, variadic: true, fn: fnConcat})
	register("to_boolean", &function{args: []kind{kAny}, fn: fnToBoolean})
}

// fnEmail trims and lower-cases an address; null when it is not one.
func fnEmail(_ *evalCtx, a []any) (any, error) {
	s := strings.ToLower(strings.TrimSpace(a[0].(string)))
	s = strings.TrimPrefix(s, "mailto:")
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>,;\"") ||
		strings.Contains(domain, "@") || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return nil, nil
	}
	return s, nil
}

func fnLookup(_ *evalCtx, a []any) (any, error) {
	id, err := stringOf(a[0])
	if err != nil || strings.TrimSpace(id) == "" {
		return nil, err
	}
	return map[string]any{"id": strings.TrimSpace(id)}, nil
}

// fnTruncate keeps at most n characters (runes), never splitting one.
func fnTruncate(_ *evalCtx, a []any) (any, error) {
	s := a[0].(string)
	n, ok := toInt(a[1])
	if !ok || n < 0 {
		return nil, errors.New("length must be a non-negative integer")
	}
	if utf8.RuneCountInString(s) <= n {
		return s, nil
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos], nil
		}
		i++
	}
	return s, nil
}

func fnDefault(_ *evalCtx, a []any) (any, error) {
	if Empty(a[0]) {
		return a[1], nil
	}
	return a[0], nil
}

func fnCoalesce(_ *evalCtx, a []any) (any, error) {
	for _, v := range a {
		if !Empty(v) {
			return v, nil
		}
	}
	return nil, nil
}

func fnCompact(_ *evalCtx, a []any) (any, error) {
	src := a[0].([]any)
	out := make([]any, 0, len(src))
	for _, v := range src {
		if !Empty(v) {
			out = append(out, v)
		}
	}
	return out, nil
}

func fnConcat(_ *evalCtx, a []any) (any, error) {
	var b strings.Builder
	for _, v := range a {
		if v == nil {
			continue
		}
		s, err := stringOf(v)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func fnToBoolean(_ *evalCtx, a []any) (any, error) {
	switch x := a[0].(type) {
	case bool:
		return x, nil
	case json.Number:
		switch cmpNum(x, "0") {
		case 0:
			return false, nil
		}
		if cmpNum(x, "1") == 0 {
			return true, nil
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "yes", "y", "1", "on":
			return true, nil
		case "false", "no", "n", "0", "off":
			return false, nil
		}
	}
	return nil, nil
}

// fnMultiselect builds a multi-select value: a JSON array of distinct,
// non-empty strings, from an array or from a string split on sep.
func fnMultiselect(_ *evalCtx, a []any) (any, error) {
	var items []any
	switch x := a[0].(type) {
	case []any:
		items = x
	case string:
		items = []any{x}
		if len(a) > 1 && a[1].(string) != "" {
			items = nil
			for _, p := range strings.Split(x, a[1].(string)) {
				items = append(items, p)
			}
		}
	default:
		items = []any{x}
	}
	out := make([]any, 0, len(items))
	seen := map[string]bool{}
	for i, it := range items {
		if it == nil {
			continue
		}
		if k := kindOf(it); k&(kString|kNumber|kBool) == 0 {
			return nil, fmt.Errorf("element %d is %s, want a string", i, typeName(it))
		}
		s, _ := stringOf(it)
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out, nil
}

func checkPicklist(env *Env, consts []any) error {
	name, ok := consts[1].(string)
	if !ok {
		return nil
	}
	if _, ok := env.Picklists[name]; !ok {
		return fmt.Errorf("no picklist named %q in the config's picklists", name)
	}
	return nil
}

// fnPicklist maps a value through a named picklist: an exact key first,
// then a key equal ignoring case and surrounding space. No match gives the
// default (third argument) or null.
func fnPicklist(c *evalCtx, a []any) (any, error) {
	var def any
	if len(a) > 2 {
		def = a[2]
	}
	pl, ok := c.env.Picklists[a[1].(string)]
	if !ok {
		return nil, fmt.Errorf("no picklist named %q", a[1])
	}
	if a[0] == nil || kindOf(a[0])&(kString|kNumber|kBool) == 0 {
		return def, nil
	}
	key, _ := stringOf(a[0])
	if v, ok := pl[key]; ok {
		return v, nil
	}
	key = strings.TrimSpace(key)
	for k, v := range pl {
		if strings.EqualFold(strings.TrimSpace(k), key) {
			return v, nil
		}
	}
	return def, nil
}
