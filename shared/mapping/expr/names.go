package expr

import (
	"strings"
	"unicode"
)

// fnSplitName splits a full name into {"first", "last"}. Words are split on
// white space; words with no letter or digit (an emoji, a dash) are
// dropped. The last word is the last name and the rest the first name; a
// single word (including names written without spaces, such as "李示例")
// is a last name, since Zoho requires Last_Name. "Last, First" is read
// the other way round.
func fnSplitName(_ *evalCtx, a []any) (any, error) {
	s := a[0].(string)
	if last, first, ok := strings.Cut(s, ","); ok && !strings.Contains(first, ",") {
		lw, fw := nameWords(last), nameWords(first)
		if len(lw) > 0 && len(fw) > 0 {
			return nameObject(strings.Join(fw, " "), strings.Join(lw, " ")), nil
		}
	}
	words := nameWords(s)
	switch len(words) {
	case 0:
		return nil, nil
	case 1:
		return nameObject("", words[0]), nil
	}
	return nameObject(strings.Join(words[:len(words)-1], " "), words[len(words)-1]), nil
}

// nameWords returns the words of s that hold a letter or digit.
func nameWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			out = append(out, w)
		}
	}
	return out
}

func nameObject(first, last string) map[string]any {
	m := map[string]any{"first": nil, "last": nil}
	if first != "" {
		m["first"] = first
	}
	if last != "" {
		m["last"] = last
	}
	return m
}
