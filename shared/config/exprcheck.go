package config

import (
	"github.com/zohosync/zohosync/shared/mapping/expr"
)

// ExprVars are the variables every expression may use besides the event:
// $headers (request headers by lower-case name), $source, $event_id,
// $received_at (RFC 3339) and $org.
var ExprVars = []string{"headers", "source", "event_id", "received_at", "org"}

// ExprEnv is what the config's expressions are compiled against.
func (c *Config) ExprEnv() *expr.Env {
	return &expr.Env{Picklists: c.Picklists, Vars: ExprVars}
}

// expr checks that an expression compiles: syntax, functions, argument
// counts, constant arguments and variables.
func (v *validator) expr(path, src string) {
	if _, err := expr.Compile(src, v.cfg.ExprEnv()); err != nil {
		v.fail(path, "expression %q: %v", src, err)
	}
}
