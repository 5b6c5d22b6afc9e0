package plan

import (
	"cmp"
	"slices"
	"strconv"
)

func itoa(i int) string { return strconv.Itoa(i) }

// state is a tentative choice of composite components and what it leaves in
// each batch group.
type state struct {
	o    *orgPlan
	k    int
	n    []int            // batch records per group
	hist [MaxSubs + 1]int // composite components by size
	on   []bool           // per component: in a composite
}

func newState(o *orgPlan, k int) *state {
	s := &state{o: o, k: k, n: make([]int, len(o.groups)), on: make([]bool, len(o.comps))}
	for i, g := range o.groups {
		s.n[i] = len(g.nodes)
	}
	return s
}

// set moves component c into (on) or out of composites.
func (s *state) set(c int, on bool) {
	if s.on[c] == on {
		return
	}
	s.on[c] = on
	d := 1
	if on {
		d = -1
	}
	comp := s.o.comps[c]
	for _, gc := range comp.in {
		s.n[gc.g] += d * gc.n
	}
	s.hist[comp.size()] -= d
}

// cost is the whole org plan's cost under this state.
func (s *state) cost() Cost {
	var c Cost
	for _, n := range s.n {
		c = c.Add(groupCost(n, s.k))
	}
	return c.Add(compositeCost(packCount(s.hist)))
}

// decide chooses which candidate components travel as composites, by cost
// under b (see the package doc), and returns the org plan's cost.
func (o *orgPlan) decide(b Binding) Cost {
	s := newState(o, b.chunkSize())
	if o.markCandidates(b) == 0 {
		return s.cost()
	}
	best := s.cost()
	for pass, improved := 0, true; improved && pass < 2*len(o.groups)+2; pass++ {
		improved = false
		for g := range o.groups {
			for _, tail := range s.tails(g) {
				if c, ok := s.tryTail(g, tail, best, b); ok {
					best, improved = c, true
				}
			}
		}
	}
	best = s.packTails(best, b)
	all := newState(o, s.k)
	for i, c := range o.comps {
		if c.cand {
			all.set(i, true)
		}
	}
	if c := all.cost(); b.better(c, best) {
		s, best = all, c
	}
	for i, c := range o.comps {
		c.composite = s.on[i]
	}
	return best
}

// tails returns the record counts whose removal from group g would save a
// credit (the last partial ten) or a call (the last partial chunk).
func (s *state) tails(g int) []int {
	n := s.n[g]
	if n == 0 {
		return nil
	}
	credit := (n-1)%RecordsPerCredit + 1
	call := n % s.k
	if call == 0 || call == credit {
		return []int{credit}
	}
	return []int{credit, call}
}

// tryTail moves candidate components out of group g until at least tail of
// its records are gone, and keeps the move if the plan got cheaper than
// best.
func (s *state) tryTail(g, tail int, best Cost, b Binding) (Cost, bool) {
	moved, ok := s.moveTail(g, tail)
	if ok {
		if c := s.cost(); b.better(c, best) {
			return c, true
		}
	}
	s.undo(moved)
	return best, false
}

// moveTail moves candidate components out of group g, smallest first,
// until at least tail of its records are gone. It returns the components
// moved and whether enough were.
func (s *state) moveTail(g, tail int) ([]int, bool) {
	var moved []int
	removed := 0
	for _, c := range s.o.groupCands[g] {
		if removed >= tail {
			break
		}
		if s.on[c] {
			continue
		}
		s.set(c, true)
		moved = append(moved, c)
		for _, gc := range s.o.comps[c].in {
			if gc.g == g {
				removed += gc.n
			}
		}
	}
	return moved, removed >= tail
}

// undo moves components back into batches, last moved first.
func (s *state) undo(moved []int) {
	for i := len(moved) - 1; i >= 0; i-- {
		s.set(moved[i], false)
	}
}

// packTails moves the credit tails of several groups together, smallest
// first, so that leftovers of different groups share composites (three
// lone records of three modules: one composite, 1 credit, instead of three
// batches). It keeps the longest prefix that made the plan cheapest.
func (s *state) packTails(best Cost, b Binding) Cost {
	var order []int
	for g, n := range s.n {
		if n > 0 {
			order = append(order, g)
		}
	}
	tail := func(g int) int { return (s.n[g]-1)%RecordsPerCredit + 1 }
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(tail(x), tail(y)) })
	var moved []int
	keep := 0
	for _, g := range order {
		if s.n[g] == 0 {
			continue
		}
		m, ok := s.moveTail(g, tail(g))
		moved = append(moved, m...)
		if !ok {
			break
		}
		if c := s.cost(); b.better(c, best) {
			best, keep = c, len(moved)
		}
	}
	s.undo(moved[keep:])
	return best
}
