package config

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

const (
	schemaPath        = "../../config/zohosync.schema.json"
	shippedConfigPath = "../../config/zohosync.yaml"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jsonschema.NewCompiler().Compile(abs)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return s
}

// yamlInstance reads YAML as the JSON value a schema validates.
func yamlInstance(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestShippedConfigMatchesSchema(t *testing.T) {
	data := mustRead(t, shippedConfigPath)
	if err := compileSchema(t).Validate(yamlInstance(t, data)); err != nil {
		t.Errorf("config/zohosync.yaml does not validate against the schema: %v", err)
	}
	if _, err := Parse(data, shippedConfigPath); err != nil {
		t.Errorf("config/zohosync.yaml does not load: %v", err)
	}
}

func TestSchemaRejects(t *testing.T) {
	s := compileSchema(t)
	for _, tt := range []struct{ name, old, new string }{
		{"bad action", "action: insert", "action: upsrt"},
		{"unknown key", "    users: 40", "    user: 40"},
		{"plain secret", "env:STRIPE_SIGNING_SECRET", "whsec_abc"},
		{"bad if_empty", "if_empty: fail", "if_empty: blank"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Validate(yamlInstance(t, edit(t, tt.old, tt.new))); err == nil {
				t.Error("schema accepted an invalid config")
			}
		})
	}
	if err := s.Validate(yamlInstance(t, mustRead(t, "testdata/valid.yaml"))); err != nil {
		t.Errorf("schema rejects testdata/valid.yaml: %v", err)
	}
}

// TestSchemaAgreesWithTypes checks that every yaml key of the Go types is a
// property in the schema and every schema property is a yaml key.
func TestSchemaAgreesWithTypes(t *testing.T) {
	var schema any
	if err := json.Unmarshal(mustRead(t, schemaPath), &schema); err != nil {
		t.Fatal(err)
	}
	inSchema := map[string]bool{}
	collectProperties(schema, inSchema)
	inTypes := map[string]bool{}
	collectTags(reflect.TypeOf(Config{}), inTypes, map[reflect.Type]bool{})
	for _, k := range sortedKeys(inTypes) {
		if !inSchema[k] {
			t.Errorf("yaml key %q is missing from the schema", k)
		}
	}
	for _, k := range sortedKeys(inSchema) {
		if !inTypes[k] {
			t.Errorf("schema property %q is not a yaml key of the config types", k)
		}
	}
}

func collectProperties(v any, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		if props, ok := x["properties"].(map[string]any); ok {
			for k := range props {
				out[k] = true
			}
		}
		for _, e := range x {
			collectProperties(e, out)
		}
	case []any:
		for _, e := range x {
			collectProperties(e, out)
		}
	}
}

func collectTags(t reflect.Type, out map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] || t == durationType {
		return
	}
	seen[t] = true
	for name, ft := range yamlFields(t) {
		out[name] = true
		collectTags(ft, out, seen)
	}
}

// customFields is config/zoho-custom-fields.json.
type customFields struct {
	Modules map[string]struct {
		Fields []struct {
			APIName  string `json:"api_name"`
			DataType string `json:"data_type"`
			Unique   bool   `json:"unique"`
		} `json:"fields"`
	} `json:"modules"`
}

// standardFields are the Zoho fields the shipped config may rely on without
// creating them.
var standardFields = map[string][]string{
	"Leads":    {"First_Name", "Last_Name", "Email", "Phone", "Mobile", "Description", "Lead_Source", "Company", "Lead_Status", "No_of_Employees"},
	"Contacts": {"First_Name", "Last_Name", "Email", "Phone", "Mobile", "Description", "Lead_Source", "Mailing_Street", "Mailing_City", "Mailing_State", "Mailing_Zip", "Mailing_Country", "Account_Name"},
	"Accounts": {"Account_Name"},
	"Deals":    {"Deal_Name", "Stage", "Amount", "Closing_Date", "Contact_Name", "Account_Name", "Description", "Lead_Source"},
}

// systemMatch are the system duplicate-check fields upsert may match on.
var systemMatch = map[string]string{"Leads": "Email", "Contacts": "Email", "Accounts": "Account_Name", "Deals": "Deal_Name"}

// TestCustomFieldsCoverShippedConfig checks that every non-standard field the
// shipped config writes is listed in zoho-custom-fields.json, that nothing
// listed is unused, and that every match field is a system duplicate-check
// field or a unique custom field.
func TestCustomFieldsCoverShippedConfig(t *testing.T) {
	cfg, err := Load(shippedConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	var cf customFields
	if err := json.Unmarshal(mustRead(t, "../../config/zoho-custom-fields.json"), &cf); err != nil {
		t.Fatal(err)
	}
	custom := map[string]bool{}
	unique := map[string]bool{}
	for mod, m := range cf.Modules {
		for _, f := range m.Fields {
			custom[mod+"."+f.APIName] = true
			unique[mod+"."+f.APIName] = f.Unique
		}
	}
	used := map[string]bool{}
	for _, src := range cfg.Sources {
		for _, r := range src.Routes {
			for _, op := range r.Ops {
				for name := range op.Fields {
					key := op.Module + "." + name
					used[key] = true
					if !custom[key] && !contains(standardFields[op.Module], name) {
						t.Errorf("%s: %s writes %s, which is neither standard nor in zoho-custom-fields.json", src.Name, r.Name, key)
					}
				}
				for _, name := range op.Match {
					if systemMatch[op.Module] != name && !unique[op.Module+"."+name] {
						t.Errorf("%s: %s matches on %s.%s, which is not a system or unique field", src.Name, r.Name, op.Module, name)
					}
				}
			}
		}
	}
	var unused []string
	for k := range custom {
		if !used[k] {
			unused = append(unused, k)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("custom fields the config never writes: %s", strings.Join(unused, ", "))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
