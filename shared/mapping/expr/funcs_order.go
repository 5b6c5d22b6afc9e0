package expr

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
)

// compareScalars orders two numbers or two strings.
func compareScalars(a, b any) (int, error) {
	switch x := a.(type) {
	case json.Number:
		if y, ok := b.(json.Number); ok {
			return cmpNum(x, y), nil
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	}
	return 0, errors.New("values must all be numbers or all be strings")
}

// extreme is max (sign 1) or min (sign -1) of numbers or strings.
func extreme(sign int) func(*evalCtx, []any) (any, error) {
	return func(_ *evalCtx, a []any) (any, error) {
		return pick(a[0].([]any), a[0].([]any), sign)
	}
}

// pick returns the item whose key is the largest (sign 1) or smallest.
func pick(items, keys []any, sign int) (any, error) {
	if len(items) == 0 {
		return nil, nil
	}
	best := 0
	for i := 1; i < len(items); i++ {
		d, err := compareScalars(keys[i], keys[best])
		if err != nil {
			return nil, err
		}
		if d*sign > 0 {
			best = i
		}
	}
	if _, err := compareScalars(keys[best], keys[best]); err != nil {
		return nil, err
	}
	return items[best], nil
}

// keysOf applies an expref to each element.
func keysOf(c *evalCtx, e any, items []any) ([]any, error) {
	keys := make([]any, len(items))
	for i, it := range items {
		k, err := apply(c, e, it)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return keys, nil
}

func extremeBy(sign int) func(*evalCtx, []any) (any, error) {
	return func(c *evalCtx, a []any) (any, error) {
		items := a[0].([]any)
		keys, err := keysOf(c, a[1], items)
		if err != nil {
			return nil, err
		}
		return pick(items, keys, sign)
	}
}

// sortByKeys sorts items stably by their keys.
func sortByKeys(items, keys []any) ([]any, error) {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	var bad error
	sort.SliceStable(idx, func(i, j int) bool {
		d, err := compareScalars(keys[idx[i]], keys[idx[j]])
		if err != nil {
			bad = err
		}
		return d < 0
	})
	if len(items) == 1 {
		_, bad = compareScalars(keys[0], keys[0])
	}
	if bad != nil {
		return nil, bad
	}
	out := make([]any, len(items))
	for i, k := range idx {
		out[i] = items[k]
	}
	return out, nil
}

func fnSort(_ *evalCtx, a []any) (any, error) {
	items := a[0].([]any)
	return sortByKeys(items, items)
}

func fnSortBy(c *evalCtx, a []any) (any, error) {
	items := a[0].([]any)
	keys, err := keysOf(c, a[1], items)
	if err != nil {
		return nil, err
	}
	return sortByKeys(items, keys)
}
