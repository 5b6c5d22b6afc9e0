package deploy

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"
	"gopkg.in/yaml.v3"
)

// Template is template.yaml, parsed twice.
type Template struct {
	// Raw is the document's root mapping, short tags intact.
	Raw *Node
	// Typed is goformation's view, after Load's adjustments (see the package
	// doc). Intrinsics read as "ref:X", "getatt:X.Attr" or "sub:..."; a
	// parameter reference reads as the parameter's default.
	Typed *cloudformation.Template
}

// newerThanGoformation lists, per resource type, properties that
// goformation v7.14.9 rejects although CloudFormation accepts them. Load
// drops them from the typed parse; tests read them from Raw.
var newerThanGoformation = map[string][]string{
	"AWS::Serverless::Function": {"LoggingConfig"},
	"AWS::Lambda::Permission":   {"InvokedViaFunctionUrl"},
}

// Load reads and parses a template file.
func Load(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	return Parse(b)
}

// Parse parses template YAML.
func Parse(b []byte) (*Template, error) {
	raw, err := parseRaw(b)
	if err != nil {
		return nil, err
	}
	adjusted, err := parseRaw(b) // a second copy to edit for goformation
	if err != nil {
		return nil, err
	}
	adjustForGoformation(adjusted)
	out, err := yaml.Marshal(adjusted)
	if err != nil {
		return nil, fmt.Errorf("re-encode template: %w", err)
	}
	typed, err := goformation.ParseYAMLWithOptions(out, &intrinsics.ProcessorOptions{
		IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
			"Ref":        func(_ string, in, _ any) any { return "ref:" + fmt.Sprint(in) },
			"Fn::GetAtt": getAtt,
			"Fn::Sub":    func(_ string, in, _ any) any { return "sub:" + fmt.Sprint(in) },
		},
	})
	if err != nil {
		return nil, fmt.Errorf("goformation: %w", err)
	}
	return &Template{Raw: raw, Typed: typed}, nil
}

func parseRaw(b []byte) (*Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("parse template: not a mapping")
	}
	return doc.Content[0], nil
}

func getAtt(_ string, in, _ any) any {
	switch v := in.(type) {
	case string:
		return "getatt:" + v
	case []any:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = fmt.Sprint(p)
		}
		return "getatt:" + strings.Join(parts, ".")
	}
	return "getatt:?"
}

// adjustForGoformation drops the properties goformation does not know and
// replaces each !Ref to a parameter by the parameter's default, typed for
// where it stands: a string inside Environment.Variables (as CloudFormation
// passes it), a number elsewhere when the parameter is a Number.
func adjustForGoformation(root *Node) {
	params := map[string]*Node{}
	p := Get(root, "Parameters")
	for _, k := range Keys(p) {
		params[k] = Get(p, k)
	}
	for _, id := range Keys(Get(root, "Resources")) {
		res := Get(root, "Resources", id)
		props := Get(res, "Properties")
		for _, drop := range newerThanGoformation[Text(Get(res, "Type"))] {
			deleteKey(props, drop)
		}
	}
	deleteKey(Get(root, "Globals", "Function"), "LoggingConfig")
	resolveParamRefs(root, params, false)
}

func deleteKey(n *Node, key string) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			n.Content = append(n.Content[:i], n.Content[i+2:]...)
			return
		}
	}
}

func resolveParamRefs(n *Node, params map[string]*Node, inEnv bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "Parameters" || k.Value == "Conditions" {
				continue
			}
			if name, ok := paramRef(v, params); ok {
				n.Content[i+1] = paramValue(params[name], inEnv)
				continue
			}
			resolveParamRefs(v, params, inEnv || k.Value == "Variables")
		}
	case yaml.SequenceNode:
		if n.Tag != "" && n.Tag != "!!seq" {
			return // an intrinsic's arguments stay as they are
		}
		for i, c := range n.Content {
			if name, ok := paramRef(c, params); ok {
				n.Content[i] = paramValue(params[name], inEnv)
				continue
			}
			resolveParamRefs(c, params, inEnv)
		}
	}
}

func paramRef(n *Node, params map[string]*Node) (string, bool) {
	t := Text(n)
	if !strings.HasPrefix(t, "ref:") {
		return "", false
	}
	name := strings.TrimPrefix(t, "ref:")
	_, ok := params[name]
	return name, ok
}

func paramValue(p *Node, asString bool) *Node {
	def := Get(p, "Default")
	v := ""
	if def != nil {
		v = def.Value
	}
	tag := "!!str"
	if !asString && Text(Get(p, "Type")) == "Number" {
		tag = "!!int"
		if strings.ContainsAny(v, ".eE") {
			tag = "!!float"
		}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v}
}
