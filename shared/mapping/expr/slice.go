package expr

// eval slices arrays, and strings by characters.
func (n sliceNode) eval(_ *evalCtx, cur any) (any, error) {
	switch x := cur.(type) {
	case []any:
		return sliceOf(x, n.parts)
	case string:
		r, err := sliceOf([]rune(x), n.parts)
		if err != nil || r == nil {
			return nil, err
		}
		return string(r), nil
	}
	return nil, nil
}

// sliceOf implements start:stop:step with Python's rules.
func sliceOf[T any](a []T, parts [3]*int) ([]T, error) {
	step := 1
	if parts[2] != nil {
		step = *parts[2]
	}
	if step == 0 {
		return nil, errSliceStep
	}
	n := len(a)
	start, stop := 0, n
	if step < 0 {
		start, stop = n-1, -1
	}
	if parts[0] != nil {
		start = clampSlice(*parts[0], n, step)
	}
	if parts[1] != nil {
		stop = clampSlice(*parts[1], n, step)
	}
	out := make([]T, 0)
	if step > 0 {
		for i := start; i < stop; i += step {
			out = append(out, a[i])
		}
		return out, nil
	}
	for i := start; i > stop; i += step {
		out = append(out, a[i])
	}
	return out, nil
}

func clampSlice(i, n, step int) int {
	if i < 0 {
		i += n
		if i < 0 {
			if step < 0 {
				return -1
			}
			return 0
		}
		return i
	}
	if i >= n {
		if step < 0 {
			return n - 1
		}
		return n
	}
	return i
}
