package expr

import (
	"errors"
	"fmt"

	"github.com/jmespath-community/go-jmespath/pkg/parsing"
)

// Env is what expressions may use beyond the event: named picklists and
// preset variables. The zero Env has neither.
type Env struct {
	// Picklists are the config's named value maps, for picklist().
	Picklists map[string]map[string]string
	// Vars names the variables (without $) every evaluation binds.
	Vars []string
}

// Expr is a compiled expression. It is immutable and safe for concurrent use.
type Expr struct {
	src  string
	root node
	env  *Env
}

// String returns the expression's source.
func (e *Expr) String() string { return e.src }

// Compile parses src and checks every function name, argument count,
// constant argument (picklist names, time zones, countries, currencies) and
// variable. Errors say what is wrong and where in src.
func Compile(src string, env *Env) (ex *Expr, err error) {
	if env == nil {
		env = &Env{}
	}
	defer func() {
		if r := recover(); r != nil {
			ex, err = nil, fmt.Errorf("expression %q does not parse", src)
		}
	}()
	ast, err := parsing.NewParser().Parse(src)
	if err != nil {
		var se parsing.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s (at offset %d)", se.Error(), se.Offset)
		}
		return nil, fmt.Errorf("syntax error: %w", err)
	}
	c := &compiler{env: env}
	root, err := c.compile(ast)
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, root: root, env: env}, nil
}

// Eval evaluates the expression against data (the event) with the given
// variables (keys without $; values are JSON values). It never panics on any
// data; a type error in a function is returned as an error.
func (e *Expr) Eval(data any, vars map[string]any) (v any, err error) {
	c := &evalCtx{root: data, env: e.env}
	for name, val := range vars {
		c.vars = &scope{name: "$" + name, val: val, next: c.vars}
	}
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("expression %q failed: %v", e.src, r)
		}
	}()
	return e.root.eval(c, data)
}

var errSliceStep = errors.New("slice step cannot be 0")

// undefinedVarError reports a variable no binding defines.
type undefinedVarError struct{ name string }

func (e *undefinedVarError) Error() string { return "variable " + e.name + " is not defined" }
