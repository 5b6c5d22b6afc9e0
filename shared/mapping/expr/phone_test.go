package expr

import (
	"strings"
	"testing"
)

func TestPhoneTransforms(t *testing.T) {
	data := decode(t, `{"p": "+44 (0)20 7946 0958", "n": 15550100001, "cc": "gb", "bad": "QQ",
		"long": "`+strings.Repeat("5", 70)+`", "ext": "tel:+1-555-010-0001;ext=7"}`)
	tests := []struct{ expr, want string }{
		{"phone(p)", `"+442079460958"`},
		{"phone('020 7946 0958', cc)", `"+442079460958"`},
		{"phone(n, 'US')", `"+15550100001"`},
		{"phone(n)", "null"},
		{"phone(long, 'US')", "null"},
		{"phone(missing, 'US')", "null"},
		{"phone('06 1234 5678', 'it')", `"+390612345678"`},
		{"phone_ext(ext)", `"7"`},
		{"phone_ext('555 010 0003 x 12', 'US')", `"12"`},
		{"phone_ext('call me', 'US')", "null"},
	}
	checkEvals(t, data, nil, tests)
}

func TestPhoneCountryErrors(t *testing.T) {
	if _, err := Compile("phone(p, 'XX')", testEnv); err == nil || !strings.Contains(err.Error(), `"XX"`) {
		t.Errorf("Compile with country XX = %v, want an error naming it", err)
	}
	data := decode(t, `{"p": "555 010 0001", "bad": "QQ"}`)
	e, err := Compile("phone(p, bad)", testEnv)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	if _, err := e.Eval(data, nil); err == nil || !strings.Contains(err.Error(), `"QQ"`) {
		t.Errorf("Eval with country QQ = %v, want an error naming it", err)
	}
}
