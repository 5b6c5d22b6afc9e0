package mapping

import (
	"errors"
	"fmt"
	"sort"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/mapping/expr"
)

// Mapper maps events with one config. Build it with New; it is immutable and
// safe for concurrent use.
type Mapper struct {
	sources map[string]*source
}

type source struct {
	name, org   string
	eventHeader string
	eventExpr   *expr.Expr
	routes      []*route
}

type route struct {
	name   string
	when   *expr.Expr
	ignore bool
	ops    []*op
}

type op struct {
	id, module string
	action     core.Action
	match      []string
	trigger    *[]string
	when       *expr.Expr
	recordID   *expr.Expr
	fields     []field // in name order
	refs       []core.Ref
}

type field struct {
	name    string
	ex      *expr.Expr
	ifEmpty string
}

// New compiles every expression of cfg. Configs from config.Load or
// config.Parse always compile; an error names the file, line and field.
func New(cfg *config.Config) (*Mapper, error) {
	if cfg == nil {
		return nil, errors.New("mapping: nil config")
	}
	b := &builder{cfg: cfg, env: cfg.ExprEnv()}
	m := &Mapper{sources: make(map[string]*source, len(cfg.Sources))}
	for _, name := range sortedKeys(cfg.Sources) {
		s, err := b.source(name, cfg.Sources[name])
		if err != nil {
			return nil, err
		}
		m.sources[name] = s
	}
	return m, nil
}

// builder compiles a config, naming the field of any failure.
type builder struct {
	cfg *config.Config
	env *expr.Env
}

func (b *builder) compile(path, src string) (*expr.Expr, error) {
	if src == "" {
		return nil, nil
	}
	e, err := expr.Compile(src, b.env)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %s: expression %q: %w", b.cfg.File, b.cfg.Line(path), path, src, err)
	}
	return e, nil
}

func (b *builder) source(name string, cs *config.Source) (*source, error) {
	path := config.KeyPath("sources", name)
	if cs == nil {
		return nil, fmt.Errorf("%s: %s: source is empty", b.cfg.File, path)
	}
	ev, err := b.compile(config.KeyPath(config.KeyPath(path, "event_id"), "expr"), cs.EventID.Expr)
	if err != nil {
		return nil, err
	}
	s := &source{name: name, org: cs.Org, eventHeader: cs.EventID.Header, eventExpr: ev}
	for i, cr := range cs.Routes {
		r, err := b.route(config.IndexPath(config.KeyPath(path, "routes"), i), cr)
		if err != nil {
			return nil, err
		}
		s.routes = append(s.routes, r)
	}
	return s, nil
}

func (b *builder) route(path string, cr *config.Route) (*route, error) {
	if cr == nil {
		return nil, fmt.Errorf("%s: %s: route is empty", b.cfg.File, path)
	}
	when, err := b.compile(config.KeyPath(path, "when"), cr.When)
	if err != nil {
		return nil, err
	}
	r := &route{name: cr.Name, when: when, ignore: cr.Ignore}
	for i, co := range cr.Ops {
		o, err := b.op(config.IndexPath(config.KeyPath(path, "ops"), i), co)
		if err != nil {
			return nil, err
		}
		r.ops = append(r.ops, o)
	}
	return r, nil
}

func (b *builder) op(path string, co *config.Op) (*op, error) {
	if co == nil {
		return nil, fmt.Errorf("%s: %s: op is empty", b.cfg.File, path)
	}
	o := &op{id: co.ID, module: co.Module, action: core.Action(co.Action), match: co.Match, trigger: co.Trigger}
	if !o.action.Valid() {
		return nil, fmt.Errorf("%s:%d: %s.action: %q is not insert, update or upsert", b.cfg.File, b.cfg.Line(path), path, co.Action)
	}
	var err error
	if o.when, err = b.compile(config.KeyPath(path, "when"), co.When); err != nil {
		return nil, err
	}
	if o.recordID, err = b.compile(config.KeyPath(path, "record_id"), co.RecordID); err != nil {
		return nil, err
	}
	for _, name := range sortedKeys(co.Fields) {
		f := co.Fields[name]
		if f.Ref != "" {
			o.refs = append(o.refs, core.Ref{Field: name, Op: f.Ref})
			continue
		}
		ex, err := b.compile(config.KeyPath(config.KeyPath(path, "fields"), name), f.Expr)
		if err != nil {
			return nil, err
		}
		o.fields = append(o.fields, field{name: name, ex: ex, ifEmpty: f.EmptyPolicy()})
	}
	return o, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
