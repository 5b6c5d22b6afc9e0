package expr

import (
	"encoding/json"
	"fmt"

	"github.com/jmespath-community/go-jmespath/pkg/parsing"
)

// compiler turns the parser's AST into nodes, checking functions and
// variables as it goes.
type compiler struct {
	env   *Env
	bound []string // let-bound variable names in scope, innermost last
}

func (c *compiler) known(name string) bool {
	for i := len(c.bound) - 1; i >= 0; i-- {
		if c.bound[i] == name {
			return true
		}
	}
	for _, v := range c.env.Vars {
		if "$"+v == name {
			return true
		}
	}
	return false
}

func (c *compiler) compile(a parsing.ASTNode) (node, error) {
	switch a.NodeType {
	case parsing.ASTField:
		return fieldNode{name: a.Value.(string)}, nil
	case parsing.ASTIndex:
		return indexNode{i: a.Value.(int)}, nil
	case parsing.ASTSlice:
		return c.slice(a)
	case parsing.ASTLiteral:
		return literalNode{v: literal(a.Value)}, nil
	case parsing.ASTIdentity, parsing.ASTCurrentNode:
		return identityNode{}, nil
	case parsing.ASTRootNode:
		return rootNode{}, nil
	case parsing.ASTVariable:
		name := a.Value.(string)
		if !c.known(name) {
			return nil, fmt.Errorf("unknown variable %s", name)
		}
		return variableNode{name: name}, nil
	case parsing.ASTFunctionExpression:
		return c.function(a)
	case parsing.ASTMultiSelectList:
		items, err := c.all(a.Children)
		return listNode{items: items}, err
	case parsing.ASTMultiSelectHash:
		return c.hash(a)
	case parsing.ASTLetExpression:
		return c.let(a)
	}
	return c.composite(a)
}

// composite compiles the nodes built from other nodes.
func (c *compiler) composite(a parsing.ASTNode) (node, error) {
	kids, err := c.all(a.Children)
	if err != nil {
		return nil, err
	}
	want := map[bool]int{true: 1, false: 2}
	unary := a.NodeType == parsing.ASTFlatten || a.NodeType == parsing.ASTNotExpression ||
		a.NodeType == parsing.ASTExpRef || a.NodeType == parsing.ASTArithmeticUnaryExpression
	if a.NodeType == parsing.ASTFilterProjection {
		want[false] = 3
	}
	if len(kids) != want[unary] {
		return nil, fmt.Errorf("unsupported expression shape (%v)", a.NodeType)
	}
	switch a.NodeType {
	case parsing.ASTFlatten:
		return flattenNode{child: kids[0]}, nil
	case parsing.ASTNotExpression:
		return notNode{child: kids[0]}, nil
	case parsing.ASTExpRef:
		return exprefNode{child: kids[0]}, nil
	case parsing.ASTArithmeticUnaryExpression:
		return unaryNode{neg: a.Value == parsing.TOKMinus, child: kids[0]}, nil
	case parsing.ASTSubexpression, parsing.ASTIndexExpression:
		return subNode{left: kids[0], right: kids[1]}, nil
	case parsing.ASTOrExpression:
		return orNode{left: kids[0], right: kids[1]}, nil
	case parsing.ASTAndExpression:
		return andNode{left: kids[0], right: kids[1]}, nil
	case parsing.ASTPipe:
		return pipeNode{left: kids[0], right: kids[1]}, nil
	case parsing.ASTProjection:
		return projectNode{left: kids[0], right: kids[1], strings: isStringSlice(a.Children[0])}, nil
	case parsing.ASTValueProjection:
		return valueProjectNode{left: kids[0], right: kids[1]}, nil
	case parsing.ASTFilterProjection:
		return filterNode{left: kids[0], right: kids[1], cond: kids[2]}, nil
	case parsing.ASTComparator:
		return compareNode{op: a.Value.(parsing.TokType), left: kids[0], right: kids[1]}, nil
	case parsing.ASTArithmeticExpression:
		return arithNode{op: a.Value.(parsing.TokType), left: kids[0], right: kids[1]}, nil
	}
	return nil, fmt.Errorf("unsupported expression (%v)", a.NodeType)
}

// isStringSlice tells a slice projection (which may apply to a string).
func isStringSlice(left parsing.ASTNode) bool {
	return left.NodeType == parsing.ASTIndexExpression && len(left.Children) > 1 &&
		left.Children[1].NodeType == parsing.ASTSlice
}

func (c *compiler) all(as []parsing.ASTNode) ([]node, error) {
	out := make([]node, len(as))
	for i, a := range as {
		n, err := c.compile(a)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func (c *compiler) slice(a parsing.ASTNode) (node, error) {
	parts, ok := a.Value.([]*int)
	if !ok || len(parts) != 3 {
		return nil, fmt.Errorf("bad slice")
	}
	if parts[2] != nil && *parts[2] == 0 {
		return nil, errSliceStep
	}
	return sliceNode{parts: [3]*int{parts[0], parts[1], parts[2]}}, nil
}

func (c *compiler) hash(a parsing.ASTNode) (node, error) {
	h := hashNode{}
	for _, kv := range a.Children {
		if len(kv.Children) != 1 {
			return nil, fmt.Errorf("bad multi-select hash")
		}
		v, err := c.compile(kv.Children[0])
		if err != nil {
			return nil, err
		}
		h.keys = append(h.keys, kv.Value.(string))
		h.vals = append(h.vals, v)
	}
	return h, nil
}

func (c *compiler) let(a parsing.ASTNode) (node, error) {
	if len(a.Children) != 2 {
		return nil, fmt.Errorf("bad let expression")
	}
	depth := len(c.bound)
	defer func() { c.bound = c.bound[:depth] }()
	l := letNode{}
	for _, b := range a.Children[0].Children {
		if len(b.Children) != 2 || b.Children[0].NodeType != parsing.ASTVariable {
			return nil, fmt.Errorf("bad let binding")
		}
		v, err := c.compile(b.Children[1])
		if err != nil {
			return nil, err
		}
		name := b.Children[0].Value.(string)
		l.names = append(l.names, name)
		l.vals = append(l.vals, v)
		c.bound = append(c.bound, name)
	}
	body, err := c.compile(a.Children[1])
	if err != nil {
		return nil, err
	}
	l.body = body
	return l, nil
}

// literal converts the parser's float64 numbers into json.Number.
func literal(v any) any {
	switch x := v.(type) {
	case float64:
		n, err := numOfFloat(x)
		if err != nil {
			return nil
		}
		return n
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = literal(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = literal(e)
		}
		return out
	case json.Number, string, bool, nil:
		return x
	}
	return nil
}
