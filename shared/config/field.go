package config

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// UnmarshalYAML reads a field either as a plain string (the expression) or
// as a mapping with expr, ref and if_empty.
func (f *Field) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return fmt.Errorf("line %d: a field needs an expression or a ref", n.Line)
		}
		*f = Field{Expr: n.Value}
		return nil
	case yaml.MappingNode:
		type plain Field // no UnmarshalYAML: decode the mapping as is
		var p plain
		if err := n.Decode(&p); err != nil {
			return err
		}
		*f = Field(p)
		return nil
	}
	return fmt.Errorf("line %d: a field is an expression string or a mapping", n.Line)
}

// EmptyPolicy returns IfEmpty, or IfEmptyOmit when it is unset.
func (f Field) EmptyPolicy() string {
	if f.IfEmpty == "" {
		return IfEmptyOmit
	}
	return f.IfEmpty
}
