package zohosim

import "net/http"

func errInvalidReference(r reference) *apiError {
	return newError(http.StatusBadRequest, "INVALID_REFERENCE", "invalid reference",
		map[string]any{"api_name": r.apiName, "json_path": r.where, "reference": r.raw})
}

// collectRefs finds the references in an item's uri, params and body.
func (it *subRequest) collectRefs() *apiError {
	var bad *apiError
	add := func(s, apiName, path string) {
		refs, ok := findRefs(s, apiName, path)
		if !ok && bad == nil {
			r := reference{raw: s, apiName: apiName, where: path}
			if len(refs) > 0 {
				r = refs[0]
			}
			bad = errInvalidReference(r)
		}
		it.refs = append(it.refs, refs...)
	}
	add(it.uri, "uri", it.path("uri"))
	walkStrings(it.params, "params", it.path("params"), add)
	walkStrings(it.body, "body", it.path("body"), add)
	return bad
}

// checkRefs validates references: known, not self, earlier in sequential
// mode; in parallel mode, items on a reference cycle get LOOPING_FOUND.
func (c *compositeReq) checkRefs() {
	index := map[string]int{}
	for _, it := range c.items {
		if it.id != "" && it.err == nil {
			index[it.id] = it.index
		}
	}
	for _, it := range c.items {
		if it.err != nil {
			continue
		}
		if err := it.collectRefs(); err != nil {
			it.err = err
			continue
		}
		for _, r := range it.refs {
			j, ok := index[r.id]
			if !ok || j == it.index || (!c.parallel && j > it.index) {
				it.err = errInvalidReference(r)
				break
			}
		}
	}
	if c.parallel {
		c.markLoops(index)
	}
}

// deps returns the indexes an item refers to.
func (c *compositeReq) deps(it *subRequest, index map[string]int) []int {
	var out []int
	for _, r := range it.refs {
		if j, ok := index[r.id]; ok {
			out = append(out, j)
		}
	}
	return out
}

func (c *compositeReq) markLoops(index map[string]int) {
	for _, it := range c.items {
		if it.err != nil {
			continue
		}
		seen := map[int]bool{}
		if c.reaches(it.index, it.index, index, seen) {
			it.err = newError(http.StatusBadRequest, "LOOPING_FOUND", "the sub-requests refer to each other",
				map[string]any{"api_name": "sub_request_id", "json_path": it.path(""), "sub_request_indexes": sortedInts(seen)})
		}
	}
}

// reaches reports whether from leads back to target through references,
// collecting the visited indexes.
func (c *compositeReq) reaches(from, target int, index map[string]int, seen map[int]bool) bool {
	for _, j := range c.deps(c.items[from], index) {
		if j == target {
			seen[j] = true
			return true
		}
		if seen[j] {
			continue
		}
		seen[j] = true
		if c.reaches(j, target, index, seen) {
			return true
		}
	}
	return false
}

// order is the execution order: index order when sequential; in parallel
// mode the lowest index whose references have all run (or that failed
// validation) goes next.
func (c *compositeReq) order() []int {
	if !c.parallel {
		out := make([]int, len(c.items))
		for i := range out {
			out[i] = i
		}
		return out
	}
	index := map[string]int{}
	for _, it := range c.items {
		if it.id != "" {
			index[it.id] = it.index
		}
	}
	done := map[int]bool{}
	var out []int
	for len(out) < len(c.items) {
		next := c.nextReady(done, index)
		done[next] = true
		out = append(out, next)
	}
	return out
}

func (c *compositeReq) nextReady(done map[int]bool, index map[string]int) int {
	first := -1
	for _, it := range c.items {
		if done[it.index] {
			continue
		}
		if first < 0 {
			first = it.index
		}
		ready := it.err != nil
		if !ready {
			ready = true
			for _, j := range c.deps(it, index) {
				ready = ready && done[j]
			}
		}
		if ready {
			return it.index
		}
	}
	return first
}
