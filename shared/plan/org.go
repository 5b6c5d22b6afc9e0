package plan

import (
	"cmp"
	"slices"
)

// orgPlan is one org's share of the graph, cut into batch groups and
// dependency components.
type orgPlan struct {
	org    string
	groups []*group
	comps  []*comp
	// groupCands lists, per group, the candidate components with nodes in
	// it, smallest first (ties: latest first).
	groupCands [][]int
}

// group is a batch group: operations that can share one call.
type group struct {
	key   string
	depth int
	nodes []*node // in seq order
}

// comp is a dependency component: nodes linked by references or by
// same-record ordering. It is planned whole, in batches or in composites.
type comp struct {
	nodes []*node // in seq order
	in    []groupCount
	cand  bool
	// composite is the planner's decision.
	composite bool
}

type groupCount struct{ g, n int }

func (c *comp) size() int { return len(c.nodes) }

// seq is the component's first appearance.
func (c *comp) seq() int { return c.nodes[0].seq }

// newOrgPlan cuts nodes (one org's, in seq order) into groups and
// components; node.comp and node.depth must be set.
func newOrgPlan(org string, nodes []*node) *orgPlan {
	o := &orgPlan{org: org}
	gidx := map[string]int{}
	cidx := map[int]int{}
	nodeGroup := make(map[*node]int, len(nodes))
	for _, n := range nodes {
		gk := groupKey(n.op) + "@" + itoa(n.depth)
		g, ok := gidx[gk]
		if !ok {
			g = len(o.groups)
			gidx[gk] = g
			o.groups = append(o.groups, &group{key: gk, depth: n.depth})
		}
		o.groups[g].nodes = append(o.groups[g].nodes, n)
		nodeGroup[n] = g
		c, ok := cidx[n.comp]
		if !ok {
			c = len(o.comps)
			cidx[n.comp] = c
			o.comps = append(o.comps, &comp{})
		}
		o.comps[c].nodes = append(o.comps[c].nodes, n)
	}
	for _, c := range o.comps {
		for _, n := range c.nodes {
			c.in = addCount(c.in, nodeGroup[n])
		}
	}
	return o
}

func addCount(in []groupCount, g int) []groupCount {
	for i := range in {
		if in[i].g == g {
			in[i].n++
			return in
		}
	}
	return append(in, groupCount{g, 1})
}

// markCandidates flags the components that may become composites under b:
// at most MaxSubs operations, and at least two unless credits bind (then
// lone leftovers may be packed too).
func (o *orgPlan) markCandidates(b Binding) int {
	count := 0
	o.groupCands = make([][]int, len(o.groups))
	for i, c := range o.comps {
		c.cand = b != SubConcurrency && c.size() <= MaxSubs && (c.size() >= 2 || b == Credits)
		c.composite = false
		if !c.cand {
			continue
		}
		count++
		for _, gc := range c.in {
			o.groupCands[gc.g] = append(o.groupCands[gc.g], i)
		}
	}
	for _, list := range o.groupCands {
		slices.SortStableFunc(list, func(a, b int) int {
			ca, cb := o.comps[a], o.comps[b]
			if d := cmp.Compare(ca.size(), cb.size()); d != 0 {
				return d
			}
			return cmp.Compare(cb.seq(), ca.seq())
		})
	}
	return count
}
