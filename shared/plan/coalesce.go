package plan

import "github.com/zohosync/zohosync/shared/core"

// addEvent merges one event's checked operations into the graph. It first
// tries to coalesce each operation with the latest node of its record; if
// that would close a dependency cycle, the event's operations become new
// nodes that run after the earlier writes of their records. It reports
// false when even that is impossible (an event writing one record twice with
// one write referring to the other).
func (g *graph) addEvent(ops []*core.Operation, targets map[*core.Operation][]*core.Operation) bool {
	for _, coalesce := range []bool{true, false} {
		t := g.tentative(ops, targets, coalesce)
		if !t.cyclic(g) {
			g.apply(ops, targets, t)
			return true
		}
	}
	return false
}

// tentativeEvent is where an event's operations would go, before the graph
// changes.
type tentativeEvent struct {
	at    []*node // per operation: an existing node, or a placeholder
	fresh []bool  // per operation: at[i] is a new placeholder
	keys  []string
	prev  map[*node]*node // placeholder -> earlier write of its record
	edges [][2]*node      // new dependency edges (from, to)
}

func (g *graph) tentative(ops []*core.Operation, targets map[*core.Operation][]*core.Operation, coalesce bool) *tentativeEvent {
	t := &tentativeEvent{at: make([]*node, len(ops)), fresh: make([]bool, len(ops)),
		keys: make([]string, len(ops)), prev: map[*node]*node{}}
	latest := map[string]*node{}
	idx := make(map[*core.Operation]int, len(ops))
	for i, op := range ops {
		idx[op] = i
		key := recordKey(op)
		t.keys[i] = key
		last := latest[key]
		if last == nil && key != "" {
			last = g.current[key]
		}
		if coalesce && last != nil {
			t.at[i] = last
		} else {
			t.at[i], t.fresh[i] = &node{}, true
			if last != nil {
				t.prev[t.at[i]] = last
				t.edges = append(t.edges, [2]*node{t.at[i], last})
			}
		}
		if key != "" {
			latest[key] = t.at[i]
		}
	}
	for i, op := range ops {
		for _, target := range targets[op] {
			t.edges = append(t.edges, [2]*node{t.at[i], t.at[idx[target]]})
		}
	}
	return t
}

// cyclic reports whether adding t's edges to the graph closes a cycle. A
// new node that nothing in the event depends on cannot be on a cycle, which
// spares the search for the common shapes (one record; a chain of new ones).
func (t *tentativeEvent) cyclic(g *graph) bool {
	if len(t.edges) == 0 {
		return false
	}
	extra := make(map[*node][]*node, len(t.edges))
	into := make(map[*node]bool, len(t.edges))
	for _, e := range t.edges {
		extra[e[0]] = append(extra[e[0]], e[1])
		into[e[1]] = true
	}
	for _, e := range t.edges {
		if e[0].op == nil && !into[e[0]] {
			continue
		}
		if e[0] == e[1] || reaches(e[1], e[0], extra) {
			return true
		}
	}
	return false
}

// reaches reports whether to can be reached from from by dependency edges
// (the graph's plus extra).
func reaches(from, to *node, extra map[*node][]*node) bool {
	seen := map[*node]bool{}
	stack := []*node{from}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == to {
			return true
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		for _, d := range n.refs {
			stack = append(stack, d)
		}
		if n.prev != nil {
			stack = append(stack, n.prev)
		}
		stack = append(stack, extra[n]...)
	}
	return false
}

// apply commits a tentative placement: first the new nodes are created
// (each a copy of the operation that opens it), then, in input order, every
// other operation is merged into its node and every operation's references
// are set, so a later value of a field always wins.
func (g *graph) apply(ops []*core.Operation, targets map[*core.Operation][]*core.Operation, t *tentativeEvent) {
	real := map[*node]*node{}
	resolve := func(n *node) *node {
		if r, ok := real[n]; ok {
			return r
		}
		return n
	}
	for i, op := range ops {
		if t.fresh[i] {
			n := g.newNode(op, t.keys[i])
			if p := t.prev[t.at[i]]; p != nil {
				n.prev = resolve(p)
			}
			real[t.at[i]] = n
		}
	}
	idx := make(map[*core.Operation]int, len(ops))
	for i, op := range ops {
		idx[op] = i
	}
	for i, op := range ops {
		n := resolve(t.at[i])
		if !t.fresh[i] {
			n.merge(op)
		}
		tn := make([]*node, len(targets[op]))
		for j, target := range targets[op] {
			tn[j] = resolve(t.at[idx[target]])
		}
		n.setRefs(op, tn)
		if t.keys[i] != "" {
			g.current[t.keys[i]] = n
		}
	}
}
