package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"unicode/utf8"
)

// The JMESPath standard functions, with exact numbers.
func init() {
	register("abs", &function{args: []kind{kNumber}, fn: fnAbs})
	register("avg", &function{args: []kind{kArray}, fn: fnAvg})
	register("ceil", &function{args: []kind{kNumber}, fn: roundWith(ceilRat)})
	register("floor", &function{args: []kind{kNumber}, fn: roundWith(floorRat)})
	register("contains", &function{args: []kind{kArray | kString, kAny}, fn: fnContains})
	register("ends_with", &function{args: []kind{kString, kString}, fn: fnEndsWith})
	register("starts_with", &function{args: []kind{kString, kString}, fn: fnStartsWith})
	register("join", &function{args: []kind{kString, kArray}, fn: fnJoin})
	register("keys", &function{args: []kind{kObject}, fn: fnKeys})
	register("values", &function{args: []kind{kObject}, fn: fnValues})
	register("length", &function{args: []kind{kString | kArray | kObject}, fn: fnLength})
	register("map", &function{args: []kind{kExpref, kArray}, fn: fnMap})
	register("max", &function{args: []kind{kArray}, fn: extreme(1)})
	register("min", &function{args: []kind{kArray}, fn: extreme(-1)})
	register("max_by", &function{args: []kind{kArray, kExpref}, fn: extremeBy(1)})
	register("min_by", &function{args: []kind{kArray, kExpref}, fn: extremeBy(-1)})
	register("merge", &function{args: []kind{kObject}, variadic: true, fn: fnMerge})
	register("not_null", &function{args: []kind{kAny}, variadic: true, fn: fnNotNull})
	register("reverse", &function{args: []kind{kString | kArray}, fn: fnReverse})
	register("sort", &function{args: []kind{kArray}, fn: fnSort})
	register("sort_by", &function{args: []kind{kArray, kExpref}, fn: fnSortBy})
	register("sum", &function{args: []kind{kArray}, fn: fnSum})
	register("to_array", &function{args: []kind{kAny}, fn: fnToArray})
	register("to_number", &function{args: []kind{kAny}, fn: fnToNumber})
	register("to_string", &function{args: []kind{kAny}, nullIn: true, fn: fnToString})
	register("type", &function{args: []kind{kAny}, fn: func(_ *evalCtx, a []any) (any, error) { return typeName(a[0]), nil }})
}

func fnAbs(_ *evalCtx, a []any) (any, error) {
	n := a[0].(json.Number)
	if strings.HasPrefix(string(n), "-") {
		return negate(n), nil
	}
	return n, nil
}

func roundWith(f func(*big.Rat) *big.Int) func(*evalCtx, []any) (any, error) {
	return func(_ *evalCtx, a []any) (any, error) {
		r, ok := ratOf(a[0].(json.Number))
		if !ok {
			return nil, errors.New("number out of range")
		}
		return json.Number(f(r).String()), nil
	}
}

// numbers checks that every element is a number.
func numbers(a []any) ([]json.Number, error) {
	out := make([]json.Number, len(a))
	for i, v := range a {
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("element %d is %s, want number", i, typeName(v))
		}
		out[i] = n
	}
	return out, nil
}

// texts checks that every element is a string.
func texts(a []any) ([]string, error) {
	out := make([]string, len(a))
	for i, v := range a {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("element %d is %s, want string", i, typeName(v))
		}
		out[i] = s
	}
	return out, nil
}

func sumRat(ns []json.Number) (*big.Rat, error) {
	total := new(big.Rat)
	for _, n := range ns {
		r, ok := ratOf(n)
		if !ok {
			return nil, errors.New("number out of range")
		}
		total.Add(total, r)
	}
	return total, nil
}

func fnSum(_ *evalCtx, a []any) (any, error) {
	ns, err := numbers(a[0].([]any))
	if err != nil {
		return nil, err
	}
	total, err := sumRat(ns)
	if err != nil {
		return nil, err
	}
	return numOfRat(total)
}

func fnAvg(_ *evalCtx, a []any) (any, error) {
	ns, err := numbers(a[0].([]any))
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	total, err := sumRat(ns)
	if err != nil {
		return nil, err
	}
	return numOfRat(total.Quo(total, big.NewRat(int64(len(ns)), 1)))
}

func fnContains(_ *evalCtx, a []any) (any, error) {
	if s, ok := a[0].(string); ok {
		sub, ok := a[1].(string)
		return ok && strings.Contains(s, sub), nil
	}
	for _, e := range a[0].([]any) {
		if equal(e, a[1]) {
			return true, nil
		}
	}
	return false, nil
}

func fnEndsWith(_ *evalCtx, a []any) (any, error) {
	return strings.HasSuffix(a[0].(string), a[1].(string)), nil
}

func fnStartsWith(_ *evalCtx, a []any) (any, error) {
	return strings.HasPrefix(a[0].(string), a[1].(string)), nil
}

func fnJoin(_ *evalCtx, a []any) (any, error) {
	parts, err := texts(a[1].([]any))
	if err != nil {
		return nil, err
	}
	return strings.Join(parts, a[0].(string)), nil
}

func sortedKeysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func fnKeys(_ *evalCtx, a []any) (any, error) {
	keys := sortedKeysOf(a[0].(map[string]any))
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out, nil
}

func fnValues(_ *evalCtx, a []any) (any, error) {
	return sortedValues(a[0].(map[string]any)), nil
}

func fnLength(_ *evalCtx, a []any) (any, error) {
	switch x := a[0].(type) {
	case string:
		return numOfInt(int64(utf8.RuneCountInString(x))), nil
	case []any:
		return numOfInt(int64(len(x))), nil
	}
	return numOfInt(int64(len(a[0].(map[string]any)))), nil
}

func fnMap(c *evalCtx, a []any) (any, error) {
	arr := a[1].([]any)
	out := make([]any, len(arr))
	for i, e := range arr {
		v, err := apply(c, a[0], e)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func fnMerge(_ *evalCtx, a []any) (any, error) {
	out := map[string]any{}
	for _, m := range a {
		for k, v := range m.(map[string]any) {
			out[k] = v
		}
	}
	return out, nil
}

func fnNotNull(_ *evalCtx, a []any) (any, error) {
	for _, v := range a {
		if v != nil {
			return v, nil
		}
	}
	return nil, nil
}

func fnReverse(_ *evalCtx, a []any) (any, error) {
	if s, ok := a[0].(string); ok {
		r := []rune(s)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r), nil
	}
	src := a[0].([]any)
	out := make([]any, len(src))
	for i, v := range src {
		out[len(src)-1-i] = v
	}
	return out, nil
}

func fnToArray(_ *evalCtx, a []any) (any, error) {
	if arr, ok := a[0].([]any); ok {
		return arr, nil
	}
	return []any{a[0]}, nil
}

// fnToNumber reads numbers and decimal strings exactly; anything else is
// null, as in JMESPath.
func fnToNumber(_ *evalCtx, a []any) (any, error) {
	switch x := a[0].(type) {
	case json.Number:
		return x, nil
	case string:
		if n, ok := parseNumber(x); ok {
			return n, nil
		}
	}
	return nil, nil
}

func fnToString(_ *evalCtx, a []any) (any, error) {
	return stringOf(a[0])
}
