package expr

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The community JMESPath string and object functions. String functions
// return null for a null subject.
func init() {
	register("lower", &function{args: []kind{kString}, nullIn: true, fn: strFn(strings.ToLower)})
	register("upper", &function{args: []kind{kString}, nullIn: true, fn: strFn(strings.ToUpper)})
	register("trim", &function{args: []kind{kString, kString}, optional: 1, nullIn: true, fn: trimWith(strings.TrimFunc, strings.Trim)})
	register("trim_left", &function{args: []kind{kString, kString}, optional: 1, nullIn: true, fn: trimWith(strings.TrimLeftFunc, strings.TrimLeft)})
	register("trim_right", &function{args: []kind{kString, kString}, optional: 1, nullIn: true, fn: trimWith(strings.TrimRightFunc, strings.TrimRight)})
	register("pad_left", &function{args: []kind{kString, kNumber, kString}, optional: 1, nullIn: true, fn: padWith(true)})
	register("pad_right", &function{args: []kind{kString, kNumber, kString}, optional: 1, nullIn: true, fn: padWith(false)})
	register("replace", &function{args: []kind{kString, kString, kString, kNumber}, optional: 1, nullIn: true, fn: fnReplace})
	register("split", &function{args: []kind{kString, kString, kNumber}, optional: 1, nullIn: true, fn: fnSplit})
	register("find_first", &function{args: []kind{kString, kString, kNumber, kNumber}, optional: 2, fn: findWith(strings.Index)})
	register("find_last", &function{args: []kind{kString, kString, kNumber, kNumber}, optional: 2, fn: findWith(strings.LastIndex)})
	register("items", &function{args: []kind{kObject}, fn: fnItems})
	register("from_items", &function{args: []kind{kArray}, fn: fnFromItems})
	register("group_by", &function{args: []kind{kArray, kExpref}, fn: fnGroupBy})
	register("zip", &function{args: []kind{kArray}, variadic: true, fn: fnZip})
}

func strFn(f func(string) string) func(*evalCtx, []any) (any, error) {
	return func(_ *evalCtx, a []any) (any, error) { return f(a[0].(string)), nil }
}

func trimWith(space func(string, func(rune) bool) string, set func(string, string) string) func(*evalCtx, []any) (any, error) {
	return func(_ *evalCtx, a []any) (any, error) {
		s := a[0].(string)
		if len(a) > 1 && a[1].(string) != "" {
			return set(s, a[1].(string)), nil
		}
		return space(s, unicode.IsSpace), nil
	}
}

// maxPad bounds padding so an expression cannot allocate without limit.
const maxPad = 10000

func padWith(left bool) func(*evalCtx, []any) (any, error) {
	return func(_ *evalCtx, a []any) (any, error) {
		s := a[0].(string)
		width, ok := toInt(a[1])
		if !ok || width < 0 || width > maxPad {
			return nil, fmt.Errorf("width must be an integer from 0 to %d", maxPad)
		}
		pad := " "
		if len(a) > 2 {
			pad = a[2].(string)
			if utf8.RuneCountInString(pad) != 1 {
				return nil, errors.New("pad must be one character")
			}
		}
		n := width - utf8.RuneCountInString(s)
		if n <= 0 {
			return s, nil
		}
		if left {
			return strings.Repeat(pad, n) + s, nil
		}
		return s + strings.Repeat(pad, n), nil
	}
}

func fnReplace(_ *evalCtx, a []any) (any, error) {
	count := -1
	if len(a) > 3 {
		n, ok := toInt(a[3])
		if !ok || n < 0 {
			return nil, errors.New("count must be a non-negative integer")
		}
		count = n
	}
	return strings.Replace(a[0].(string), a[1].(string), a[2].(string), count), nil
}

func fnSplit(_ *evalCtx, a []any) (any, error) {
	s, sep := a[0].(string), a[1].(string)
	if s == "" {
		return []any{}, nil
	}
	limit := -1
	if len(a) > 2 {
		n, ok := toInt(a[2])
		if !ok || n < 0 {
			return nil, errors.New("count must be a non-negative integer")
		}
		limit = n + 1
	}
	parts := strings.SplitN(s, sep, limit)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

// findWith finds a substring by characters, within optional start and end
// character positions.
func findWith(find func(s, sub string) int) func(*evalCtx, []any) (any, error) {
	return func(_ *evalCtx, a []any) (any, error) {
		r := []rune(a[0].(string))
		sub := a[1].(string)
		start, end := 0, len(r)
		if len(a) > 2 {
			n, ok := toInt(a[2])
			if !ok {
				return nil, errors.New("start must be an integer")
			}
			start = min(max(n, 0), len(r))
		}
		if len(a) > 3 {
			n, ok := toInt(a[3])
			if !ok {
				return nil, errors.New("end must be an integer")
			}
			end = min(max(n, 0), len(r))
		}
		if sub == "" || start >= end {
			return nil, nil
		}
		at := find(string(r[start:end]), sub)
		if at < 0 {
			return nil, nil
		}
		return numOfInt(int64(start + utf8.RuneCountInString(string(r[start:end])[:at]))), nil
	}
}

func fnItems(_ *evalCtx, a []any) (any, error) {
	m := a[0].(map[string]any)
	out := make([]any, 0, len(m))
	for _, k := range sortedKeysOf(m) {
		out = append(out, []any{k, m[k]})
	}
	return out, nil
}

func fnFromItems(_ *evalCtx, a []any) (any, error) {
	out := map[string]any{}
	for i, it := range a[0].([]any) {
		pair, ok := it.([]any)
		if !ok || len(pair) != 2 {
			return nil, fmt.Errorf("element %d is not a [key, value] pair", i)
		}
		k, ok := pair[0].(string)
		if !ok {
			return nil, fmt.Errorf("element %d has a %s key, want string", i, typeName(pair[0]))
		}
		out[k] = pair[1]
	}
	return out, nil
}

func fnGroupBy(c *evalCtx, a []any) (any, error) {
	out := map[string]any{}
	for _, it := range a[0].([]any) {
		k, err := apply(c, a[1], it)
		if err != nil {
			return nil, err
		}
		ks, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("group key is %s, want string", typeName(k))
		}
		prev, _ := out[ks].([]any)
		out[ks] = append(prev, it)
	}
	return out, nil
}

func fnZip(_ *evalCtx, a []any) (any, error) {
	n := -1
	for _, arr := range a {
		if l := len(arr.([]any)); n < 0 || l < n {
			n = l
		}
	}
	out := make([]any, max(n, 0))
	for i := range out {
		row := make([]any, len(a))
		for j, arr := range a {
			row[j] = arr.([]any)[i]
		}
		out[i] = row
	}
	return out, nil
}
