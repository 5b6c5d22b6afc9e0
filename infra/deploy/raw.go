package deploy

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Node is a raw YAML node of the template, with CloudFormation short tags
// (!Ref, !GetAtt, !Sub, ...) kept as node tags.
type Node = yaml.Node

// Get walks mapping keys from n and returns the node found, or nil.
func Get(n *Node, path ...string) *Node {
	for _, key := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

// Keys returns the keys of a mapping node, in file order.
func Keys(n *Node) []string {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	keys := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

// Text renders a scalar or an intrinsic as one string: a plain scalar as
// itself, !Ref X as "ref:X", !GetAtt X.A as "getatt:X.A", !Sub s as "sub:s"
// (long forms too), a sequence as its items joined by ",". Other nodes
// render as "".
func Text(n *Node) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!Ref":
			return "ref:" + n.Value
		case "!GetAtt":
			return "getatt:" + n.Value
		case "!Sub":
			return "sub:" + n.Value
		}
		return n.Value
	case yaml.SequenceNode:
		if n.Tag == "!GetAtt" && len(n.Content) == 2 {
			return "getatt:" + n.Content[0].Value + "." + n.Content[1].Value
		}
		parts := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			parts = append(parts, Text(c))
		}
		return strings.Join(parts, ",")
	case yaml.MappingNode:
		if len(n.Content) == 2 {
			k, v := n.Content[0].Value, n.Content[1]
			switch k {
			case "Ref":
				return "ref:" + v.Value
			case "Fn::GetAtt":
				if v.Kind == yaml.SequenceNode && len(v.Content) == 2 {
					return "getatt:" + v.Content[0].Value + "." + v.Content[1].Value
				}
				return "getatt:" + v.Value
			case "Fn::Sub":
				return "sub:" + v.Value
			}
		}
	}
	return ""
}

// List renders a node that may be one item or a sequence as a list of Text
// values.
func List(n *Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode && n.Tag != "!GetAtt" {
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, Text(c))
		}
		return out
	}
	return []string{Text(n)}
}
