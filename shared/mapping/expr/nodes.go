package expr

import (
	"encoding/json"
	"sort"

	"github.com/jmespath-community/go-jmespath/pkg/parsing"
)

// node is one compiled piece of an expression.
type node interface {
	eval(c *evalCtx, cur any) (any, error)
}

// scope is a chain of variable bindings (let, and the preset variables).
type scope struct {
	name string
	val  any
	next *scope
}

func (s *scope) get(name string) (any, bool) {
	for ; s != nil; s = s.next {
		if s.name == name {
			return s.val, true
		}
	}
	return nil, false
}

// evalCtx is the state of one evaluation.
type evalCtx struct {
	root any
	vars *scope
	env  *Env
}

// expref is a &expression argument, applied by functions such as sort_by.
type expref struct{ n node }

type (
	fieldNode    struct{ name string }
	subNode      struct{ left, right node }
	indexNode    struct{ i int }
	sliceNode    struct{ parts [3]*int }
	literalNode  struct{ v any }
	identityNode struct{}
	rootNode     struct{}
	flattenNode  struct{ child node }
	notNode      struct{ child node }
	orNode       struct{ left, right node }
	andNode      struct{ left, right node }
	pipeNode     struct{ left, right node }
	exprefNode   struct{ child node }
	variableNode struct{ name string }
	listNode     struct{ items []node }
	hashNode     struct {
		keys []string
		vals []node
	}
	projectNode struct {
		left, right node
		strings     bool // a string slice: foo[::-1] keeps strings
	}
	valueProjectNode struct{ left, right node }
	filterNode       struct{ left, right, cond node }
	compareNode      struct {
		op          parsing.TokType
		left, right node
	}
	arithNode struct {
		op          parsing.TokType
		left, right node
	}
	unaryNode struct {
		neg   bool
		child node
	}
	letNode struct {
		names []string
		vals  []node
		body  node
	}
)

func (n fieldNode) eval(_ *evalCtx, cur any) (any, error) {
	if m, ok := cur.(map[string]any); ok {
		return m[n.name], nil
	}
	return nil, nil
}

func (n subNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil || l == nil {
		return nil, err
	}
	return n.right.eval(c, l)
}

func (n indexNode) eval(_ *evalCtx, cur any) (any, error) {
	a, ok := cur.([]any)
	if !ok {
		return nil, nil
	}
	i := n.i
	if i < 0 {
		i += len(a)
	}
	if i < 0 || i >= len(a) {
		return nil, nil
	}
	return a[i], nil
}

func (n literalNode) eval(*evalCtx, any) (any, error)      { return n.v, nil }
func (identityNode) eval(_ *evalCtx, cur any) (any, error) { return cur, nil }
func (rootNode) eval(c *evalCtx, _ any) (any, error)       { return c.root, nil }
func (n exprefNode) eval(*evalCtx, any) (any, error)       { return expref{n.child}, nil }

func (n variableNode) eval(c *evalCtx, _ any) (any, error) {
	if v, ok := c.vars.get(n.name); ok {
		return v, nil
	}
	return nil, &undefinedVarError{n.name}
}

func (n flattenNode) eval(c *evalCtx, cur any) (any, error) {
	v, err := n.child.eval(c, cur)
	if err != nil {
		return nil, err
	}
	a, ok := v.([]any)
	if !ok {
		return nil, nil
	}
	out := make([]any, 0, len(a))
	for _, e := range a {
		if inner, ok := e.([]any); ok {
			out = append(out, inner...)
		} else {
			out = append(out, e)
		}
	}
	return out, nil
}

func (n notNode) eval(c *evalCtx, cur any) (any, error) {
	v, err := n.child.eval(c, cur)
	return !truthy(v), err
}

func (n orNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil || truthy(l) {
		return l, err
	}
	return n.right.eval(c, cur)
}

func (n andNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil || !truthy(l) {
		return l, err
	}
	return n.right.eval(c, cur)
}

func (n pipeNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil {
		return nil, err
	}
	return n.right.eval(c, l)
}

func (n listNode) eval(c *evalCtx, cur any) (any, error) {
	out := make([]any, len(n.items))
	for i, it := range n.items {
		v, err := it.eval(c, cur)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (n hashNode) eval(c *evalCtx, cur any) (any, error) {
	out := make(map[string]any, len(n.keys))
	for i, k := range n.keys {
		v, err := n.vals[i].eval(c, cur)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// project applies right to each element, dropping nulls.
func project(c *evalCtx, elems []any, right node) (any, error) {
	out := make([]any, 0, len(elems))
	for _, e := range elems {
		v, err := right.eval(c, e)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

func (n projectNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil {
		return nil, err
	}
	switch x := l.(type) {
	case []any:
		return project(c, x, n.right)
	case string:
		if n.strings {
			return x, nil
		}
	}
	return nil, nil
}

func (n valueProjectNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil {
		return nil, err
	}
	m, ok := l.(map[string]any)
	if !ok {
		return nil, nil
	}
	return project(c, sortedValues(m), n.right)
}

// sortedValues returns an object's values in key order, so results do not
// depend on map iteration order.
func sortedValues(m map[string]any) []any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	return vals
}

func (n filterNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil {
		return nil, err
	}
	a, ok := l.([]any)
	if !ok {
		return nil, nil
	}
	kept := make([]any, 0, len(a))
	for _, e := range a {
		ok, err := n.cond.eval(c, e)
		if err != nil {
			return nil, err
		}
		if truthy(ok) {
			kept = append(kept, e)
		}
	}
	return project(c, kept, n.right)
}

func (n compareNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil {
		return nil, err
	}
	r, err := n.right.eval(c, cur)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case parsing.TOKEQ:
		return equal(l, r), nil
	case parsing.TOKNE:
		return !equal(l, r), nil
	}
	x, okx := l.(json.Number)
	y, oky := r.(json.Number)
	if !okx || !oky {
		return nil, nil
	}
	d := cmpNum(x, y)
	switch n.op {
	case parsing.TOKLT:
		return d < 0, nil
	case parsing.TOKLTE:
		return d <= 0, nil
	case parsing.TOKGT:
		return d > 0, nil
	}
	return d >= 0, nil
}

func (n arithNode) eval(c *evalCtx, cur any) (any, error) {
	l, err := n.left.eval(c, cur)
	if err != nil {
		return nil, err
	}
	r, err := n.right.eval(c, cur)
	if err != nil {
		return nil, err
	}
	return arith(n.op, l, r)
}

func (n unaryNode) eval(c *evalCtx, cur any) (any, error) {
	v, err := n.child.eval(c, cur)
	if err != nil {
		return nil, err
	}
	x, ok := v.(json.Number)
	if !ok {
		return nil, nil
	}
	if n.neg {
		return negate(x), nil
	}
	return x, nil
}

func (n letNode) eval(c *evalCtx, cur any) (any, error) {
	saved := c.vars
	defer func() { c.vars = saved }()
	for i, name := range n.names {
		v, err := n.vals[i].eval(c, cur)
		if err != nil {
			return nil, err
		}
		c.vars = &scope{name: name, val: v, next: c.vars}
	}
	return n.body.eval(c, cur)
}
