package expr

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// decode reads JSON the way the mapping does: numbers stay json.Number.
func decode(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

// render encodes a result for comparison.
func render(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return strings.TrimSpace(b.String())
}

var testEnv = &Env{
	Picklists: map[string]map[string]string{"stage": {"won": "Closed Won", "Lost": "Closed Lost"}},
	Vars:      []string{"headers"},
}

const doc = `{
  "id": 7300000000000000123, "small": 42, "neg": -5, "price": "49.00", "f": 1.5,
  "name": "Zoë Ångström-Ñúñez 🚀", "cjk": "李示例", "blank": "  ", "nul": null, "t": true,
  "tags": ["a", "b", "a", ""], "nums": [3, 1, 2], "objs": [{"k": "b", "v": 2}, {"k": "a", "v": 1}],
  "answers": [{"field": {"ref": "email"}, "email": "Ada@Example.COM"}, {"field": {"ref": "n"}, "number": 25}],
  "m": {"b": 2, "a": 1}
}`

func TestEval(t *testing.T) {
	data := decode(t, doc)
	vars := map[string]any{"headers": map[string]any{"x-topic": "orders/create"}}
	tests := []struct{ expr, want string }{
		// exact numbers
		{"id", "7300000000000000123"},
		{"to_string(id)", `"7300000000000000123"`},
		{"id == `7300000000000000123`", "false"}, // the literal is read as float64
		{"to_string(id) == '7300000000000000123'", "true"},
		{"id > small", "true"},
		{"small == `42`", "true"},
		{"small == `42.0`", "true"},
		{"small >= `43`", "false"},
		{"name > small", "null"},
		{"small + `1`", "43"},
		{"id + `0`", "7300000000000000123"},
		{"id * `10`", "73000000000000001230"},
		{"to_number(price) * `3`", "147"},
		{"small / `8`", "5.25"},
		{"small / `3`", "14"},
		{"small // `5`", "8"},
		{"neg % `3`", "-2"},
		{"-small", "-42"},
		{"abs(neg)", "5"},
		{"ceil(f)", "2"},
		{"floor(f)", "1"},
		{"sum(nums)", "6"},
		{"avg(nums)", "2"},
		{"max(nums)", "3"},
		{"min(nums)", "1"},
		{"sort(nums)", "[1,2,3]"},
		{"to_number('0042')", "42"},
		{"to_number('1250000.50')", "1250000.50"},
		{"to_number('x')", "null"},
		{"type(id)", `"number"`},
		{"to_string(nul)", "null"},
		{"to_string(t)", `"true"`},
		{"to_string(m)", `"{\"a\":1,\"b\":2}"`},
		// paths, projections, filters
		{"answers[?field.ref=='email'] | [0].email", `"Ada@Example.COM"`},
		{"objs[*].k", `["b","a"]`},
		{"sort_by(objs, &k)[*].v", "[1,2]"},
		{"max_by(objs, &v).k", `"b"`},
		{"m.*", "[1,2]"},
		{"keys(m)", `["a","b"]`},
		{"items(m)", `[["a",1],["b",2]]`},
		{"tags[::-1]", `["","a","b","a"]`},
		{"name[0:3]", `"Zoë"`},
		{"length(name)", "20"},
		{"[small, nul]", "[42,null]"},
		{"{a: small}", `{"a":42}`},
		{"let $x = small in $x", "42"},
		{"$headers.\"x-topic\"", `"orders/create"`},
		{"contains(tags, 'b')", "true"},
		{"join('-', tags)", `"a-b-a-"`},
		{"nul || 'x'", `"x"`},
		{"!t", "false"},
		{"map(&k, objs)", `["b","a"]`},
		{"group_by(objs, &k).a[0].v", "1"},
		{"from_items([['x', `1`]])", `{"x":1}`},
		{"zip(nums, tags)", `[[3,"a"],[1,"b"],[2,"a"]]`},
		{"not_null(nul, small)", "42"},
		{"merge(m, {c: `3`})", `{"a":1,"b":2,"c":3}`},
		{"reverse(cjk)", `"例示李"`},
		{"find_first(name, 'Å')", "4"},
		{"pad_left('7', `3`, '0')", `"007"`},
		{"replace(price, '.', ',')", `"49,00"`},
		{"split('a;b', ';')", `["a","b"]`},
		{"trim(blank)", `""`},
		{"upper(nul)", "null"},
		{"starts_with(name, 'Zo')", "true"},
		{"ends_with(price, '00')", "true"},
		{"to_array(small)", "[42]"},
		{"values(m)", "[1,2]"},
	}
	checkEvals(t, data, vars, tests)
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"foo(", "SyntaxError"},
		{"nosuch(a)", "unknown function nosuch()"},
		{"lower(a, b)", "lower() takes at most 1 arguments, got 2"},
		{"money(a)", "money() takes at least 2 arguments, got 1"},
		{"$nope.a", "unknown variable $nope"},
		{"picklist(a, 'nope')", `picklist(): no picklist named "nope"`},
		{"date(a, 'Mars/Olympus')", `date(): unknown time zone "Mars/Olympus"`},
		{"phone(a, 'XX')", `phone(): "XX" is not a country code`},
		{"money(a, 'dollars')", `money(): "dollars" is not an ISO 4217 currency code`},
		{"a[::0]", "slice step cannot be 0"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := Compile(tt.expr, testEnv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	data := decode(t, doc)
	tests := []struct{ expr, want string }{
		{"lower(small)", "lower(): argument 1 must be string, got number"},
		{"join(',', nums)", "join(): element 0 is number, want string"},
		{"sort(objs)", "sort(): values must all be numbers or all be strings"},
		{"small / `0`", "division by zero"},
		{"money(f, 'usd')", "money(): 1.5 is not a whole number of minor units"},
		{"date('yesterday')", `date(): "yesterday" is not a time`},
		{"truncate(name, `-1`)", "truncate(): length must be a non-negative integer"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e, err := Compile(tt.expr, testEnv)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			_, err = e.Eval(data, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// checkEvals compiles each expression, evaluates it over data with vars and
// compares the rendered value.
func checkEvals(t *testing.T, data any, vars map[string]any, tests []struct{ expr, want string }) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e, err := Compile(tt.expr, testEnv)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			v, err := e.Eval(data, vars)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if got := render(t, v); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
