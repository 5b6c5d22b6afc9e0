package zohosim

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCheckValue(t *testing.T) {
	picks := setOf([]string{"Web", "Partner"})
	cases := []struct {
		name     string
		field    fieldDef
		value    any
		wantKey  string // "" for valid
		wantVal  any
		wantPath string
	}{
		{"text ok", fieldDef{DataType: "text", Length: 5}, "héllo", "", nil, ""},
		{"text too long", fieldDef{DataType: "text", Length: 5}, "héllo!", "maximum_length", 5, ""},
		{"text not string", fieldDef{DataType: "text", Length: 5}, json.Number("1"), "expected_data_type", "text", ""},
		{"empty string clears", fieldDef{DataType: "email", Length: 100}, "", "", nil, ""},
		{"email ok", fieldDef{DataType: "email", Length: 100}, "Zoe.Angstrom+billing@EXAMPLE.com", "", nil, ""},
		{"email bad", fieldDef{DataType: "email", Length: 100}, "zoe@", "expected_data_type", "email", ""},
		{"phone ok", fieldDef{DataType: "phone", Length: 30}, "+1 (555) 010-0202", "", nil, ""},
		{"phone extension", fieldDef{DataType: "phone", Length: 30}, "(555) 010-0003 ext. 42", "", nil, ""},
		{"phone letters", fieldDef{DataType: "phone", Length: 30}, "call me", "expected_data_type", "phone", ""},
		{"phone too long", fieldDef{DataType: "phone", Length: 30}, strings.Repeat("5", 31), "maximum_length", 30, ""},
		{"website ok", fieldDef{DataType: "website", Length: 255}, "https://www.example.com/a?b=c", "", nil, ""},
		{"website bare host", fieldDef{DataType: "website", Length: 255}, "example.com", "", nil, ""},
		{"website bad", fieldDef{DataType: "website", Length: 255}, "not a site", "expected_data_type", "website", ""},
		{"integer ok", fieldDef{DataType: "integer", Length: 9}, json.Number("-42"), "", nil, ""},
		{"integer fraction", fieldDef{DataType: "integer", Length: 9}, json.Number("4.2"), "expected_data_type", "integer", ""},
		{"integer string", fieldDef{DataType: "integer", Length: 9}, "42", "expected_data_type", "integer", ""},
		{"integer digits", fieldDef{DataType: "integer", Length: 9}, json.Number("1234567890"), "maximum_length", 9, ""},
		{"bigint string", fieldDef{DataType: "bigint", Length: 18}, "450789469", "", nil, ""},
		{"bigint too big", fieldDef{DataType: "bigint", Length: 18}, "9223372036854775808", "expected_data_type", "bigint", ""},
		{"double ok", fieldDef{DataType: "double", Length: 16}, json.Number("1.5e3"), "", nil, ""},
		{"currency string", fieldDef{DataType: "currency", Length: 16}, "199.99", "", nil, ""},
		{"currency words", fieldDef{DataType: "currency", Length: 16}, "lots", "expected_data_type", "double", ""},
		{"currency digits", fieldDef{DataType: "currency", Length: 4}, json.Number("12345.5"), "maximum_length", 4, ""},
		{"percent bool", fieldDef{DataType: "percent", Length: 5}, true, "expected_data_type", "double", ""},
		{"date ok", fieldDef{DataType: "date"}, "2024-02-29", "", nil, ""},
		{"date invalid day", fieldDef{DataType: "date"}, "2023-02-29", "expected_data_type", "date", ""},
		{"date with time", fieldDef{DataType: "date"}, "2024-02-29T00:00:00+00:00", "expected_data_type", "date", ""},
		{"datetime ok", fieldDef{DataType: "datetime"}, "2025-01-01T10:00:00-05:30", "", nil, ""},
		{"datetime Z", fieldDef{DataType: "datetime"}, "2025-01-01T10:00:00Z", "expected_data_type", "datetime", ""},
		{"datetime fraction", fieldDef{DataType: "datetime"}, "2025-01-01T10:00:00.123+00:00", "expected_data_type", "datetime", ""},
		{"boolean ok", fieldDef{DataType: "boolean"}, false, "", nil, ""},
		{"boolean string", fieldDef{DataType: "boolean"}, "true", "expected_data_type", "boolean", ""},
		{"picklist ok", fieldDef{DataType: "picklist"}, "Web", "", nil, ""},
		{"picklist case", fieldDef{DataType: "picklist"}, "web", "expected_data_type", "picklist", ""},
		{"multiselect ok", fieldDef{DataType: "multiselectpicklist"}, []any{"Web", "Partner"}, "", nil, ""},
		{"multiselect string", fieldDef{DataType: "multiselectpicklist"}, "Web;Partner", "expected_data_type", "jsonarray", ""},
		{"multiselect bad item", fieldDef{DataType: "multiselectpicklist"}, []any{"Web", "TV"}, "expected_data_type", "multiselectpicklist", "[1]"},
		{"lookup ok", fieldDef{DataType: "lookup"}, map[string]any{"id": "5725767000000100001"}, "", nil, ""},
		{"lookup number id", fieldDef{DataType: "lookup"}, map[string]any{"id": json.Number("5725767000000100001")}, "", nil, ""},
		{"lookup bare id", fieldDef{DataType: "lookup"}, "5725767000000100001", "expected_data_type", "jsonobject", ""},
		{"lookup bad id", fieldDef{DataType: "lookup"}, map[string]any{"id": "abc"}, "expected_data_type", "lookup", ".id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.field
			_, fault := checkValue(&f, picks, tc.value)
			if tc.wantKey == "" {
				if fault != nil {
					t.Fatalf("got fault %+v, want valid", fault)
				}
				return
			}
			if fault == nil {
				t.Fatalf("got valid, want %s=%v", tc.wantKey, tc.wantVal)
			}
			if fault.key != tc.wantKey || fault.value != tc.wantVal || fault.path != tc.wantPath {
				t.Errorf("got %s=%v path %q, want %s=%v path %q", fault.key, fault.value, fault.path, tc.wantKey, tc.wantVal, tc.wantPath)
			}
		})
	}
}

func TestCheckValueNormalizes(t *testing.T) {
	f := fieldDef{DataType: "bigint", Length: 18}
	got, _ := checkValue(&f, nil, "0042")
	if got != json.Number("42") {
		t.Errorf("bigint 0042 stored as %v, want 42", got)
	}
	l := fieldDef{DataType: "lookup"}
	got, _ = checkValue(&l, nil, map[string]any{"id": json.Number("7"), "name": "x"})
	if m, _ := got.(map[string]any); m["id"] != "7" || len(m) != 1 {
		t.Errorf("lookup stored as %v, want {id: 7}", got)
	}
}
