package config

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// positions maps a field path to the line it is written on.
type positions map[string]int

// line returns the line of path, or of its nearest written ancestor.
func (p positions) line(path string) int {
	for {
		if l, ok := p[path]; ok {
			return l
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			return p[""]
		}
		path = path[:cut]
	}
}

// pathAt returns the deepest path written on line l, for decoder errors
// that only know a line.
func (p positions) pathAt(l int) string {
	best := ""
	for path, pl := range p {
		if pl == l && len(path) > len(best) {
			best = path
		}
	}
	return best
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// keyPath appends a mapping key to a path.
func keyPath(path, key string) string {
	if !identRE.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// indexPath appends a sequence index to a path.
func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

var (
	fieldType    = reflect.TypeOf(Field{})
	durationType = reflect.TypeOf(time.Duration(0))
)

// walker records positions and reports keys the Go types do not know.
type walker struct {
	pos  positions
	errs []*FieldError
}

func (w *walker) fail(line int, path, msg string) {
	w.errs = append(w.errs, &FieldError{Line: line, Path: path, Msg: msg})
}

func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		w.walk(n.Content[0], t, path)
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	switch {
	case t == durationType:
		return
	case t == fieldType && n.Kind == yaml.ScalarNode:
		return
	case t.Kind() == reflect.Struct:
		w.walkStruct(n, t, path)
	case t.Kind() == reflect.Map:
		w.walkMap(n, t, path)
	case t.Kind() == reflect.Slice:
		w.walkSlice(n, t, path)
	}
}

func (w *walker) walkStruct(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode {
		w.fail(n.Line, path, "want a mapping of keys to values")
		return
	}
	fields := yamlFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" {
			w.walk(v, t, path)
			continue
		}
		p := keyPath(path, k.Value)
		w.pos[p] = k.Line
		ft, ok := fields[k.Value]
		if !ok {
			w.fail(k.Line, p, "unknown field (known: "+strings.Join(sortedKeys(fields), ", ")+")")
			continue
		}
		w.walk(v, ft, p)
	}
}

func (w *walker) walkMap(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode {
		w.fail(n.Line, path, "want a mapping")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := keyPath(path, k.Value)
		w.pos[p] = k.Line
		w.walk(v, t.Elem(), p)
	}
}

func (w *walker) walkSlice(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.SequenceNode {
		w.fail(n.Line, path, "want a list")
		return
	}
	for i, item := range n.Content {
		p := indexPath(path, i)
		w.pos[p] = item.Line
		w.walk(item, t.Elem(), p)
	}
}

// yamlFields maps the yaml keys of struct t to their field types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}
