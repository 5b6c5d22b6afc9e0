package plan

// layout computes every node's depth and component and splits the graph
// by org, orgs in order of first appearance.
func (g *graph) layout() []*orgPlan {
	g.depths()
	g.components()
	var orgs []string
	byOrg := map[string][]*node{}
	for _, n := range g.nodes {
		if _, ok := byOrg[n.op.Org]; !ok {
			orgs = append(orgs, n.op.Org)
		}
		byOrg[n.op.Org] = append(byOrg[n.op.Org], n)
	}
	out := make([]*orgPlan, len(orgs))
	for i, org := range orgs {
		out[i] = newOrgPlan(org, byOrg[org])
	}
	return out
}

// depths sets each node's depth: 0 without dependencies, else one more than
// its deepest dependency. The graph is acyclic by construction.
func (g *graph) depths() {
	done := make(map[*node]bool, len(g.nodes))
	var visit func(n *node) int
	visit = func(n *node) int {
		if done[n] {
			return n.depth
		}
		d := 0
		for _, t := range n.deps() {
			d = max(d, visit(t)+1)
		}
		n.depth, done[n] = d, true
		return d
	}
	for _, n := range g.nodes {
		visit(n)
	}
}

// components sets each node's component: nodes joined by dependencies.
func (g *graph) components() {
	parent := make([]int, len(g.nodes))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, n := range g.nodes {
		for _, t := range n.deps() {
			a, b := find(n.seq), find(t.seq)
			if a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	for _, n := range g.nodes {
		n.comp = find(n.seq)
	}
}
