package plan

import (
	"maps"
	"slices"

	"github.com/zohosync/zohosync/shared/core"
)

// node is one planned operation: a copy of an input operation, possibly
// merged with later operations on the same record.
type node struct {
	op  *core.Operation
	seq int
	// key is the record key ("" if never coalesced).
	key string
	// refs maps a lookup field to the node whose record id fills it.
	refs map[string]*node
	// refOp keeps, per field, the Ref.Op name the winning event used.
	refOp map[string]string
	// prev is an earlier write of the same record that this node could not
	// be merged into; it must run first.
	prev *node
	// depth is the length of the longest dependency path below the node.
	depth int
	comp  int
}

// deps returns the nodes n must run after, without duplicates, in no
// particular order.
func (n *node) deps() []*node {
	if len(n.refs) == 0 {
		if n.prev == nil {
			return nil
		}
		return []*node{n.prev}
	}
	out := make([]*node, 0, len(n.refs)+1)
	for _, t := range n.refs {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if n.prev != nil && !slices.Contains(out, n.prev) {
		out = append(out, n.prev)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// graph accumulates nodes event by event.
type graph struct {
	nodes   []*node
	current map[string]*node // record key -> latest node writing it
}

// fill makes n a copy of op (fields, sources, match and trigger lists
// copied; references are set later by setRefs) and adds it to the graph.
func (g *graph) fill(n *node, op *core.Operation, key string) {
	cp := *op
	cp.Fields = make(map[string]any, len(op.Fields)+len(op.Refs))
	maps.Copy(cp.Fields, op.Fields)
	cp.Sources = sourcesOf(op, make([]core.Source, 0, len(op.Sources)))
	cp.Trigger = slices.Clone(op.Trigger)
	if op.Trigger != nil && cp.Trigger == nil {
		cp.Trigger = []string{}
	}
	cp.Match = slices.Clone(op.Match)
	cp.Refs, cp.RefTargets = nil, nil
	n.op, n.seq, n.key = &cp, len(g.nodes), key
	g.nodes = append(g.nodes, n)
}

// sourcesOf appends op's sources to dst, naming op in those that do not say
// which operation they came from.
func sourcesOf(op *core.Operation, dst []core.Source) []core.Source {
	for _, s := range op.Sources {
		if s.Op == "" {
			s.Op = op.ID
		}
		dst = append(dst, s)
	}
	return dst
}

// merge folds a later operation on the same record into n: its fields
// overwrite n's one by one, its sources are appended and the trigger lists
// are united.
func (n *node) merge(op *core.Operation) {
	for f, v := range op.Fields {
		n.op.Fields[f] = v
		delete(n.refs, f)
		delete(n.refOp, f)
	}
	n.op.Sources = sourcesOf(op, n.op.Sources)
	n.op.Trigger = unionTrigger(n.op.Trigger, op.Trigger)
}

// setRefs records op's references on n, resolved to target nodes; a
// reference replaces any earlier value of its field.
func (n *node) setRefs(op *core.Operation, targets []*node) {
	for i, r := range op.Refs {
		if n.refs == nil {
			n.refs, n.refOp = map[string]*node{}, map[string]string{}
		}
		n.refs[r.Field] = targets[i]
		n.refOp[r.Field] = r.Op
		delete(n.op.Fields, r.Field)
	}
}

// unionTrigger unites two trigger lists; nil (all automation) absorbs any.
func unionTrigger(a, b []string) []string {
	if a == nil || b == nil {
		return nil
	}
	out := slices.Clone(a)
	for _, t := range b {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// finish publishes each node's references on its operation: RefTargets by
// field, and Refs sorted by field.
func (g *graph) finish() {
	for _, n := range g.nodes {
		if len(n.refs) == 0 {
			continue
		}
		n.op.RefTargets = make(map[string]*core.Operation, len(n.refs))
		for _, f := range sortedKeys(n.refs) {
			n.op.RefTargets[f] = n.refs[f].op
			n.op.Refs = append(n.op.Refs, core.Ref{Field: f, Op: n.refOp[f]})
		}
	}
}
