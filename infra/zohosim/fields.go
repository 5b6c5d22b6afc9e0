package zohosim

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Field validation per data type. A value that has the wrong JSON shape for
// its type reports the shape (jsonarray, jsonobject); a value of the right
// shape that is still wrong reports the field's type. Number types with
// fractions report "double", as Zoho does for currency fields (see the
// Annual_Revenue error in testdata/zoho/207-MULTI_STATUS-mixed.json).
//
// Accepted forms (the simulator's rules where Zoho documents none):
//   - text, textarea: strings, at most length characters;
//   - email: local@domain.tld;
//   - phone: digits with + ( ) - . / and spaces, optional extension
//     ("x12", "ext. 12", "#12"), at most 30 characters;
//   - website: host with a dot, optional http(s) scheme, port and path;
//   - integer: JSON integer with at most 9 digits; bigint: JSON integer or
//     decimal string with at most 18 digits;
//   - double, decimal, currency, percent: JSON number or plain decimal string;
//   - date: yyyy-MM-dd; datetime: yyyy-MM-ddTHH:mm:ss±HH:MM (no Z, no
//     fractions);
//   - boolean: JSON true/false only;
//   - picklist: one of the values (case-sensitive); multiselectpicklist: a
//     JSON array of such values;
//   - lookup: {"id": "<record id>"} of an existing record of lookup_module
//     (checked by the caller).
//
// null clears a field; an empty string counts as null.

var (
	emailPattern    = regexp.MustCompile(`^[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$`)
	phoneExtPattern = regexp.MustCompile(`(?i)\s*(?:ext\.?|extension|x|#)\s*[0-9]{1,6}$`)
	phoneMain       = regexp.MustCompile(`^\+?[0-9 ().\-/]+$`)
	websitePattern  = regexp.MustCompile(`^(?:https?://)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?::[0-9]{1,5})?(?:[/?#]\S*)?$`)
	datetimePattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$`)
	decimalPattern  = regexp.MustCompile(`^-?[0-9]+(?:\.[0-9]+)?$`)
)

// fieldFault describes why a value was refused; the caller turns it into
// INVALID_DATA with api_name and json_path.
type fieldFault struct {
	key   string // expected_data_type or maximum_length
	value any
	path  string // suffix of the json_path below the field, such as ".id"
}

func wrongType(t string) *fieldFault { return &fieldFault{key: "expected_data_type", value: t} }

func tooLong(n int) *fieldFault { return &fieldFault{key: "maximum_length", value: n} }

// expectedType is the expected_data_type Zoho reports for a field type.
func expectedType(dataType string) string {
	switch dataType {
	case "decimal", "currency", "percent":
		return "double"
	}
	return dataType
}

// checkValue validates v for field f and returns the value to store.
func checkValue(f *fieldDef, picks map[string]bool, v any) (any, *fieldFault) {
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok && s == "" {
		return nil, nil
	}
	switch f.DataType {
	case "text", "textarea":
		return checkText(f, v, nil)
	case "email":
		return checkText(f, v, emailPattern.MatchString)
	case "phone":
		return checkText(f, v, validPhone)
	case "website":
		return checkText(f, v, websitePattern.MatchString)
	case "integer", "bigint":
		return checkInteger(f, v)
	case "double", "decimal", "currency", "percent":
		return checkDecimal(f, v)
	case "date":
		return checkTime(f, v, validDate)
	case "datetime":
		return checkTime(f, v, validDatetime)
	case "boolean":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, wrongType("boolean")
	case "picklist":
		return checkPick(f, picks, v)
	case "multiselectpicklist":
		return checkMultiPick(f, picks, v)
	case "lookup":
		return checkLookup(v)
	}
	return nil, wrongType(f.DataType)
}

func checkText(f *fieldDef, v any, valid func(string) bool) (any, *fieldFault) {
	s, ok := v.(string)
	if !ok || (valid != nil && !valid(s)) {
		return nil, wrongType(expectedType(f.DataType))
	}
	if utf8.RuneCountInString(s) > f.Length {
		return nil, tooLong(f.Length)
	}
	return s, nil
}

func validPhone(s string) bool {
	main := phoneExtPattern.ReplaceAllString(s, "")
	return phoneMain.MatchString(main) && strings.ContainsAny(main, "0123456789")
}

func checkInteger(f *fieldDef, v any) (any, *fieldFault) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		if f.DataType != "bigint" {
			return nil, wrongType(f.DataType)
		}
		s = x
	default:
		return nil, wrongType(f.DataType)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, wrongType(f.DataType)
	}
	if digits(uint64(abs64(n))) > f.Length {
		return nil, tooLong(f.Length)
	}
	return json.Number(strconv.FormatInt(n, 10)), nil
}

func checkDecimal(f *fieldDef, v any) (any, *fieldFault) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		if !decimalPattern.MatchString(x) {
			return nil, wrongType(expectedType(f.DataType))
		}
		s = x
	default:
		return nil, wrongType(expectedType(f.DataType))
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		return nil, wrongType(expectedType(f.DataType))
	}
	if whole := math.Trunc(math.Abs(n)); whole >= 1 && int(math.Floor(math.Log10(whole)))+1 > f.Length {
		return nil, tooLong(f.Length)
	}
	return json.Number(s), nil
}

func checkTime(f *fieldDef, v any, valid func(string) bool) (any, *fieldFault) {
	s, ok := v.(string)
	if !ok || !valid(s) {
		return nil, wrongType(f.DataType)
	}
	return s, nil
}

func validDate(s string) bool {
	if len(s) != len("2006-01-02") {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func validDatetime(s string) bool {
	if !datetimePattern.MatchString(s) {
		return false
	}
	_, err := time.Parse(zohoTimeLayout, s)
	return err == nil
}

func checkPick(f *fieldDef, picks map[string]bool, v any) (any, *fieldFault) {
	s, ok := v.(string)
	if !ok || !picks[s] {
		return nil, wrongType(f.DataType)
	}
	return s, nil
}

func checkMultiPick(f *fieldDef, picks map[string]bool, v any) (any, *fieldFault) {
	arr, ok := v.([]any)
	if !ok {
		return nil, wrongType("jsonarray")
	}
	out := make([]any, 0, len(arr))
	for i, item := range arr {
		s, ok := item.(string)
		if !ok || !picks[s] {
			return nil, &fieldFault{key: "expected_data_type", value: f.DataType, path: "[" + strconv.Itoa(i) + "]"}
		}
		out = append(out, s)
	}
	return out, nil
}

// checkLookup accepts {"id": "123"} or {"id": 123}; existence is checked by
// the caller under the store lock.
func checkLookup(v any) (any, *fieldFault) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, wrongType("jsonobject")
	}
	var id string
	switch x := obj["id"].(type) {
	case string:
		id = x
	case json.Number:
		id = string(x)
	}
	if !isRecordID(id) {
		return nil, &fieldFault{key: "expected_data_type", value: "lookup", path: ".id"}
	}
	return map[string]any{"id": id}, nil
}

func digits(n uint64) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
