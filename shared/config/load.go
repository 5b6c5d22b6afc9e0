package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Version is the config file format this code reads.
const Version = 1

// Load reads and validates the config file at path. Errors name the file,
// line and field; several problems are reported at once as Errors.
// Load does not read the environment: call ApplyDefaults next.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(data, path)
}

// Parse decodes and validates one config file's bytes; file names it in
// errors. Every expression is compiled, every reference checked. Org fields
// that ApplyDefaults can fill from the environment may still be missing.
func Parse(data []byte, file string) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Errors{syntaxError(file, err)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, Errors{{File: file, Msg: "config file is empty"}}
	}
	w := &walker{pos: positions{"": 1}}
	w.walk(&root, reflect.TypeOf(Config{}), "")
	if len(w.errs) > 0 {
		return nil, finish(file, w.errs)
	}
	cfg := &Config{File: file, pos: w.pos}
	if err := root.Decode(cfg); err != nil {
		return nil, finish(file, decodeErrors(err, w.pos))
	}
	if errs := validate(cfg); len(errs) > 0 {
		return nil, finish(file, errs)
	}
	return cfg, nil
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// syntaxError turns a YAML parse error into a FieldError with its line.
func syntaxError(file string, err error) *FieldError {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		l, _ := strconv.Atoi(m[1])
		return &FieldError{File: file, Line: l, Msg: "YAML syntax: " + m[2]}
	}
	return &FieldError{File: file, Msg: "YAML syntax: " + err.Error()}
}

// decodeErrors turns the decoder's type errors into FieldErrors.
func decodeErrors(err error, pos positions) []*FieldError {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []*FieldError{{Msg: err.Error()}}
	}
	out := make([]*FieldError, 0, len(te.Errors))
	for _, msg := range te.Errors {
		fe := &FieldError{Msg: msg}
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			fe.Line, _ = strconv.Atoi(m[1])
			fe.Msg = m[2]
			fe.Path = pos.pathAt(fe.Line)
		}
		out = append(out, fe)
	}
	return out
}

// finish stamps the file name on each error and sorts them by line.
func finish(file string, errs []*FieldError) Errors {
	for _, e := range errs {
		e.File = file
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return Errors(errs)
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Line returns the line a field path (as in error messages, e.g.
// sources.stripe.routes[0].when) is written on, or of its nearest written
// parent; 0 for a config that was not parsed from a file.
func (c *Config) Line(path string) int {
	if c.pos == nil {
		return 0
	}
	return c.pos.line(path)
}

// KeyPath appends a map key to a field path the way error messages write it.
func KeyPath(path, key string) string { return keyPath(path, key) }

// IndexPath appends a list index to a field path.
func IndexPath(path string, i int) string { return indexPath(path, i) }
