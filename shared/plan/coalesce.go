package plan

import "github.com/zohosync/zohosync/shared/core"

// addEvent merges one event's checked operations into the graph; tg[i]
// are the indexes of ops[i]'s reference targets. It first tries to coalesce
// each operation with the latest node of its record; if that would close a
// dependency cycle, the event's operations become new nodes that run after
// the earlier writes of their records. It reports false when even that is
// impossible (an event writing one record twice with one write referring to
// the other).
func (g *graph) addEvent(ops []*core.Operation, tg [][]int) bool {
	for _, coalesce := range []bool{true, false} {
		t := g.tentative(ops, tg, coalesce)
		if !t.cyclic() {
			g.apply(ops, tg, t)
			return true
		}
	}
	return false
}

// tentativeEvent is where an event's operations would go, before the graph
// changes. A fresh operation gets a blank node that apply fills in, so
// pointers taken before apply stay valid.
type tentativeEvent struct {
	at    []*node // per operation: an existing node, or a blank new one
	fresh []bool  // per operation: at[i] is new and opened by it
	keys  []string
	prev  []*node    // per fresh operation: the earlier write of its record
	edges [][2]*node // new dependency edges (from, to)
}

func (g *graph) tentative(ops []*core.Operation, tg [][]int, coalesce bool) *tentativeEvent {
	n := len(ops)
	t := &tentativeEvent{at: make([]*node, n), fresh: make([]bool, n), keys: make([]string, n), prev: make([]*node, n)}
	for i, op := range ops {
		key := recordKey(op)
		t.keys[i] = key
		last := t.latest(i, key)
		if last == nil && key != "" {
			last = g.current[key]
		}
		if coalesce && last != nil {
			t.at[i] = last
			continue
		}
		t.at[i], t.fresh[i], t.prev[i] = &node{}, true, last
		if last != nil {
			t.edges = append(t.edges, [2]*node{t.at[i], last})
		}
	}
	for i := range ops {
		for _, j := range tg[i] {
			t.edges = append(t.edges, [2]*node{t.at[i], t.at[j]})
		}
	}
	return t
}

// latest is the node of the last operation before i in this event that
// writes record key, or nil.
func (t *tentativeEvent) latest(i int, key string) *node {
	if key == "" {
		return nil
	}
	for j := i - 1; j >= 0; j-- {
		if t.keys[j] == key {
			return t.at[j]
		}
	}
	return nil
}

// cyclic reports whether adding t's edges to the graph closes a cycle. A
// new node that nothing in the event depends on cannot be on a cycle, which
// spares the search for the common shapes (one record; a chain of new ones).
func (t *tentativeEvent) cyclic() bool {
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

// apply commits a tentative placement: first the new nodes are filled in
// (each a copy of the operation that opens it), then, in input order, every
// other operation is merged into its node and every operation's references
// are set, so a later value of a field always wins.
func (g *graph) apply(ops []*core.Operation, tg [][]int, t *tentativeEvent) {
	for i, op := range ops {
		if t.fresh[i] {
			g.fill(t.at[i], op, t.keys[i])
			t.at[i].prev = t.prev[i]
		}
	}
	for i, op := range ops {
		n := t.at[i]
		if !t.fresh[i] {
			n.merge(op)
		}
		if len(tg[i]) > 0 {
			targets := make([]*node, len(tg[i]))
			for k, j := range tg[i] {
				targets[k] = t.at[j]
			}
			n.setRefs(op, targets)
		}
		if t.keys[i] != "" {
			g.current[t.keys[i]] = n
		}
	}
}
