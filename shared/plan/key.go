package plan

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/zohosync/zohosync/shared/core"
)

// recordKey identifies the record an operation writes, for coalescing. It
// returns "" for operations that are never coalesced: inserts, and upserts
// without a full set of match values.
func recordKey(op *core.Operation) string {
	if op.Action == core.Insert {
		return ""
	}
	var b strings.Builder
	b.Grow(96)
	put(&b, op.Org)
	put(&b, op.Module)
	put(&b, string(op.Action))
	switch op.Action {
	case core.Update:
		put(&b, op.RecordID)
	case core.Upsert:
		vals, ok := op.MatchValues()
		if !ok {
			return ""
		}
		for i, f := range op.Match {
			put(&b, f)
			put(&b, matchValue(f, vals[i]))
		}
	default:
		return ""
	}
	return b.String()
}

// groupKey identifies the batch an operation can share: module, action,
// duplicate_check_fields (upserts) and trigger list.
func groupKey(op *core.Operation) string {
	var b strings.Builder
	b.Grow(64)
	put(&b, op.Module)
	put(&b, string(op.Action))
	if op.Action == core.Upsert {
		put(&b, strconv.Itoa(len(op.Match)))
		for _, f := range op.Match {
			put(&b, f)
		}
	}
	if op.Trigger == nil {
		b.WriteString("-")
	} else {
		put(&b, strconv.Itoa(len(op.Trigger)))
		for _, t := range op.Trigger {
			put(&b, t)
		}
	}
	return b.String()
}

// put appends s length-prefixed, so no two sequences encode alike.
func put(b *strings.Builder, s string) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteByte(':')
	b.WriteString(s)
}

// IsEmailField reports whether the planner compares a match field's values
// case-insensitively: its API name is "Email" or ends in "Email" (Zoho's
// Email, Secondary_Email; custom fields such as Work_Email), in any case.
func IsEmailField(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), "email")
}

// matchValue renders one match value for comparison: a type tag plus the
// value; e-mail strings are lower-cased, everything else compares exactly
// (json.Number by its text).
func matchValue(field string, v any) string {
	switch x := v.(type) {
	case string:
		if IsEmailField(field) {
			return "s" + strings.ToLower(x)
		}
		return "s" + x
	case json.Number:
		return "n" + x.String()
	case bool:
		return "b" + strconv.FormatBool(x)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("?%T%v", v, v)
	}
	return "j" + string(raw)
}
