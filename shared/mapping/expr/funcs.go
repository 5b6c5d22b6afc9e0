package expr

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmespath-community/go-jmespath/pkg/parsing"
)

// kind is a set of JMESPath types an argument accepts.
type kind uint8

const (
	kNull kind = 1 << iota
	kBool
	kString
	kNumber
	kArray
	kObject
	kExpref
	kAny = kNull | kBool | kString | kNumber | kArray | kObject
)

func kindOf(v any) kind {
	switch v.(type) {
	case nil:
		return kNull
	case bool:
		return kBool
	case string:
		return kString
	case json.Number:
		return kNumber
	case []any:
		return kArray
	case map[string]any:
		return kObject
	case expref:
		return kExpref
	}
	return 0
}

func (k kind) String() string {
	var names []string
	for _, p := range []struct {
		k kind
		n string
	}{{kNull, "null"}, {kBool, "boolean"}, {kString, "string"}, {kNumber, "number"}, {kArray, "array"}, {kObject, "object"}, {kExpref, "expression"}} {
		if k&p.k != 0 {
			names = append(names, p.n)
		}
	}
	return strings.Join(names, " or ")
}

// function is one callable: its signature and its body.
type function struct {
	args     []kind // accepted kinds per position
	optional int    // how many trailing args may be left out
	variadic bool   // the last arg repeats (zero or more times)
	// nullIn: a null first argument returns null without calling fn.
	nullIn bool
	// check validates constant arguments at compile time; consts[i] is the
	// literal value of argument i, or noConst.
	check func(env *Env, consts []any) error
	fn    func(c *evalCtx, args []any) (any, error)
}

// noConst marks an argument that is not a literal.
type notConst struct{}

var noConst any = notConst{}

// registry holds every function by name; filled by the funcs_*.go files.
var registry = map[string]*function{}

func register(name string, f *function) { registry[name] = f }

type funcNode struct {
	name string
	f    *function
	args []node
}

func (c *compiler) function(a parsing.ASTNode) (node, error) {
	name, _ := a.Value.(string)
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown function %s()", name)
	}
	if err := arity(name, f, len(a.Children)); err != nil {
		return nil, err
	}
	args, err := c.all(a.Children)
	if err != nil {
		return nil, err
	}
	if f.check != nil {
		consts := make([]any, len(args))
		for i, n := range args {
			consts[i] = noConst
			if l, ok := n.(literalNode); ok {
				consts[i] = l.v
			}
		}
		if err := f.check(c.env, consts); err != nil {
			return nil, fmt.Errorf("%s(): %w", name, err)
		}
	}
	return funcNode{name: name, f: f, args: args}, nil
}

func arity(name string, f *function, n int) error {
	min := len(f.args) - f.optional
	if f.variadic {
		min = len(f.args) - 1
	}
	switch {
	case n < min:
		return fmt.Errorf("%s() takes at least %d arguments, got %d", name, min, n)
	case !f.variadic && n > len(f.args):
		return fmt.Errorf("%s() takes at most %d arguments, got %d", name, len(f.args), n)
	}
	return nil
}

func (n funcNode) eval(c *evalCtx, cur any) (any, error) {
	args := make([]any, len(n.args))
	for i, a := range n.args {
		v, err := a.eval(c, cur)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if n.f.nullIn && len(args) > 0 && args[0] == nil {
		return nil, nil
	}
	for i, v := range args {
		want := n.f.args[min(i, len(n.f.args)-1)]
		if kindOf(v)&want == 0 {
			return nil, fmt.Errorf("%s(): argument %d must be %v, got %s", n.name, i+1, want, typeName(v))
		}
	}
	v, err := n.f.fn(c, args)
	if err != nil {
		return nil, fmt.Errorf("%s(): %w", n.name, err)
	}
	return v, nil
}

// apply runs an expref on one value.
func apply(c *evalCtx, e any, v any) (any, error) {
	return e.(expref).n.eval(c, v)
}
