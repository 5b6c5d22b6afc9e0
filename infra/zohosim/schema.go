package zohosim

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

//go:embed schema/standard.json
var standardSchema []byte

// schemaFile is the JSON format of the embedded standard schema and of
// Config.SchemaFiles: {"modules": {"Contacts": {"dup_check_field": ...,
// "fields": [...]}}}.
type schemaFile struct {
	Modules map[string]moduleDef `json:"modules"`
}

type moduleDef struct {
	DupCheckField string     `json:"dup_check_field,omitempty"`
	Fields        []fieldDef `json:"fields"`
}

// fieldDef is one field. Length is the maximum number of characters (text
// types) or digits (number types); 0 means the type's default.
type fieldDef struct {
	APIName        string   `json:"api_name"`
	DataType       string   `json:"data_type"`
	Length         int      `json:"length,omitempty"`
	Mandatory      bool     `json:"mandatory,omitempty"`
	Unique         bool     `json:"unique,omitempty"`
	ExternalID     bool     `json:"external_id,omitempty"`
	PickListValues []string `json:"pick_list_values,omitempty"`
	LookupModule   string   `json:"lookup_module,omitempty"`
}

// module is a loaded module: its fields in order and by name.
type module struct {
	name     string
	id       string
	dupCheck string
	fields   []*fieldDef
	byName   map[string]*fieldDef
	picks    map[string]map[string]bool
	unique   []*fieldDef // unique and external-id fields, in schema order
	matchDef []string    // upsert match order without duplicate_check_fields
}

// schema is every module the simulator serves.
type schema struct {
	modules map[string]*module
	order   []string
}

var dataTypes = []string{
	"text", "textarea", "email", "phone", "website", "integer", "bigint",
	"double", "decimal", "currency", "percent", "date", "datetime", "boolean",
	"picklist", "multiselectpicklist", "lookup",
}

var apiNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// loadSchema merges the embedded standard schema with extra files, in order.
func loadSchema(files []string, pipeline bool) (*schema, error) {
	defs := map[string]*moduleDef{}
	var order []string
	if err := mergeSchema(defs, &order, standardSchema, "standard schema"); err != nil {
		return nil, err
	}
	if pipeline {
		if err := mergeSchema(defs, &order, pipelineSchema, "pipeline schema"); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read schema file: %w", err)
		}
		if err := mergeSchema(defs, &order, b, f); err != nil {
			return nil, err
		}
	}
	return buildSchema(defs, order)
}

var pipelineSchema = []byte(`{"modules":{"Deals":{"fields":[
 {"api_name":"Pipeline","data_type":"picklist","mandatory":true,
  "pick_list_values":["Standard (Standard)"]}]}}}`)

// mergeSchema adds one file's modules and fields: a new field is appended, a
// field with an existing api_name replaces the old definition.
func mergeSchema(defs map[string]*moduleDef, order *[]string, b []byte, name string) error {
	var f schemaFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("schema %s: %w", name, err)
	}
	for _, modName := range sortedKeys(f.Modules) {
		if !apiNamePattern.MatchString(modName) {
			return fmt.Errorf("schema %s: bad module name %q", name, modName)
		}
		in := f.Modules[modName]
		cur, ok := defs[modName]
		if !ok {
			cur = &moduleDef{}
			defs[modName] = cur
			*order = append(*order, modName)
		}
		if in.DupCheckField != "" {
			cur.DupCheckField = in.DupCheckField
		}
		for _, fd := range in.Fields {
			if err := checkField(fd); err != nil {
				return fmt.Errorf("schema %s: module %s: %w", name, modName, err)
			}
			i := slices.IndexFunc(cur.Fields, func(o fieldDef) bool { return o.APIName == fd.APIName })
			if i >= 0 {
				cur.Fields[i] = fd
			} else {
				cur.Fields = append(cur.Fields, fd)
			}
		}
	}
	return nil
}

func checkField(fd fieldDef) error {
	if !apiNamePattern.MatchString(fd.APIName) {
		return fmt.Errorf("bad field api_name %q", fd.APIName)
	}
	if !slices.Contains(dataTypes, fd.DataType) {
		return fmt.Errorf("field %s: unknown data_type %q", fd.APIName, fd.DataType)
	}
	isPick := fd.DataType == "picklist" || fd.DataType == "multiselectpicklist"
	if isPick && len(fd.PickListValues) == 0 {
		return fmt.Errorf("field %s: %s needs pick_list_values", fd.APIName, fd.DataType)
	}
	if fd.DataType == "lookup" && fd.LookupModule == "" {
		return fmt.Errorf("field %s: lookup needs lookup_module", fd.APIName)
	}
	if fd.Length < 0 {
		return fmt.Errorf("field %s: negative length", fd.APIName)
	}
	return nil
}

// buildSchema checks cross-references and indexes the merged definitions.
func buildSchema(defs map[string]*moduleDef, order []string) (*schema, error) {
	s := &schema{modules: map[string]*module{}, order: order}
	for i, name := range order {
		m, err := buildModule(name, defs[name], int64(100+i))
		if err != nil {
			return nil, err
		}
		s.modules[name] = m
	}
	var errs []error
	for _, m := range s.modules {
		for _, f := range m.fields {
			if f.DataType == "lookup" && s.modules[f.LookupModule] == nil {
				errs = append(errs, fmt.Errorf("schema: %s.%s looks up unknown module %q", m.name, f.APIName, f.LookupModule))
			}
		}
	}
	return s, errors.Join(errs...)
}

func buildModule(name string, d *moduleDef, n int64) (*module, error) {
	m := &module{name: name, id: systemID(n), dupCheck: d.DupCheckField,
		byName: map[string]*fieldDef{}, picks: map[string]map[string]bool{}}
	if m.dupCheck == "" {
		m.dupCheck = "Name"
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Length == 0 {
			f.Length = defaultLength(f.DataType)
		}
		m.fields = append(m.fields, f)
		m.byName[f.APIName] = f
		if len(f.PickListValues) > 0 {
			m.picks[f.APIName] = setOf(f.PickListValues)
		}
	}
	if m.byName[m.dupCheck] == nil {
		return nil, fmt.Errorf("schema: module %s: dup_check_field %q is not one of its fields", name, m.dupCheck)
	}
	for _, f := range m.fields {
		if f.Unique || f.ExternalID {
			m.unique = append(m.unique, f)
		}
	}
	m.matchDef = matchOrder(m, nil)
	return m, nil
}

func defaultLength(dataType string) int {
	switch dataType {
	case "text", "website":
		return 255
	case "textarea":
		return 32000
	case "email":
		return 100
	case "phone":
		return 30
	case "picklist":
		return 120
	case "bigint":
		return 18
	case "integer":
		return 9
	case "double", "decimal", "currency":
		return 16
	case "percent":
		return 5
	}
	return 0
}

// isKey reports whether the field is matched on: the module's system
// duplicate-check field or a unique (or external-id) field.
func (m *module) isKey(f *fieldDef) bool {
	return f.APIName == m.dupCheck || f.Unique || f.ExternalID
}

// uniqueFields are the fields with "do not allow duplicates", in schema
// order. Callers must not modify the slice.
func (m *module) uniqueFields() []*fieldDef { return m.unique }

// scopeName is the module's name in OAuth scopes (leads, contacts, custom).
func (m *module) scopeName() string {
	name := strings.ToLower(strings.ReplaceAll(m.name, "_", ""))
	if slices.Contains(standardScopeNames, name) {
		return name
	}
	return "custom"
}

// standardScopeNames are Zoho's module names in scopes; any other module is
// "custom".
var standardScopeNames = []string{
	"leads", "contacts", "accounts", "deals", "campaigns", "tasks", "events",
	"calls", "products", "vendors", "pricebooks", "quotes", "salesorders",
	"purchaseorders", "invoices", "cases", "solutions", "appointments", "services",
}

func setOf(vals []string) map[string]bool {
	out := make(map[string]bool, len(vals))
	for _, v := range vals {
		out[v] = true
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
