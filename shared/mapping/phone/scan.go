package phone

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what scan reads.
const (
	// maxInput bounds the text, in bytes.
	maxInput = 128
	// maxDigits bounds the number's digits: 15 of E.164 plus an
	// international call prefix and a trunk prefix.
	maxDigits = 24
	// maxExtDigits bounds an extension.
	maxExtDigits = 15
)

// scanned is a number as written: its digits in order, whether a + led
// them, and the extension.
type scanned struct {
	plus   bool
	digits string
	ext    string
}

// scan reads a phone number written in any common way: digits with
// spaces, dashes, dots, slashes and brackets between them, a leading + (or
// a leading label such as "Tel:"), an extension after "ext", "ext.",
// "extn", "extension", "x", "#" or ";ext=", or a tel: URI (RFC 3966). It
// reports false for anything else.
func scan(s string) (scanned, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxInput || !utf8.ValidString(s) {
		return scanned{}, false
	}
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		return scanTel(s[4:])
	}
	body, ext := splitExtension(s)
	return scanBody(body, ext)
}

// scanTel reads the part of a tel: URI after the scheme: the number, then
// ;name=value parameters. ext= is the extension; a phone-context that is a
// global number prefix ("+44") leads a local number.
func scanTel(s string) (scanned, bool) {
	num, params, _ := strings.Cut(s, ";")
	var ext, context string
	for p := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(p, "=")
		switch strings.ToLower(name) {
		case "ext":
			if !allDigits(value) || len(value) > maxExtDigits {
				return scanned{}, false
			}
			ext = value
		case "phone-context":
			if strings.HasPrefix(value, "+") {
				context = value
			}
		}
	}
	if context != "" && !strings.HasPrefix(num, "+") {
		num = context + num
	}
	return scanBody(num, ext)
}

// splitExtension cuts an extension off the end of s: the first extension
// marker that follows a digit and is followed by 1 to maxExtDigits digits
// and nothing but white space or closing brackets. Without one, body is s.
func splitExtension(s string) (body, ext string) {
	seenDigit := false
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			seenDigit = true
			continue
		}
		if !seenDigit {
			continue
		}
		if n := markerLen(s[i:]); n > 0 {
			if e, ok := extDigits(s[i+n:]); ok {
				return s[:i], e
			}
		}
	}
	return s, ""
}

// extMarkers are the words and signs that introduce an extension, longest
// first so that "extension" is not read as "ext" + "ension".
var extMarkers = []string{";ext=", "extension", "extn", "ext", "x", "#"}

// markerLen returns the length of the extension marker s starts with
// (ASCII case-insensitive), or 0.
func markerLen(s string) int {
	for _, m := range extMarkers {
		if len(s) >= len(m) && strings.EqualFold(s[:len(m)], m) {
			return len(m)
		}
	}
	return 0
}

// extDigits reads what follows an extension marker: optional '.', ':' or
// '=' and white space, the digits, then only white space or closing
// brackets.
func extDigits(s string) (string, bool) {
	s = strings.TrimLeft(s, ".:= \t")
	n := 0
	for n < len(s) && isASCIIDigit(s[n]) {
		n++
	}
	if n == 0 || n > maxExtDigits || strings.TrimRight(s[n:], " \t)]") != "" {
		return "", false
	}
	return s[:n], true
}

// scanBody reads the number itself: an optional leading label (letters,
// white space, ':' or '.'), then digits, separators and at most one
// leading +.
func scanBody(s, ext string) (scanned, bool) {
	s = skipLabel(s)
	out := scanned{ext: ext}
	var digits []byte
	for _, r := range s {
		switch {
		case digitValue(r) >= 0:
			if len(digits) == maxDigits {
				return scanned{}, false
			}
			digits = append(digits, byte('0'+digitValue(r)))
		case r == '+' || r == '＋':
			if out.plus || len(digits) > 0 {
				return scanned{}, false
			}
			out.plus = true
		case isSeparator(r):
		default:
			return scanned{}, false
		}
	}
	if len(digits) == 0 {
		return scanned{}, false
	}
	out.digits = string(digits)
	return out, true
}

// skipLabel drops a leading label such as "Tel:", "Phone." or "Mobile"
// up to the first digit, + or opening bracket.
func skipLabel(s string) string {
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsSpace(r) || r == ':' || r == '.' {
			continue
		}
		return s[i:]
	}
	return ""
}

// isSeparator reports whether r may stand between a number's digits:
// white space, dashes, dots, slashes, brackets and '~' (the "wait for
// tone" of "8~10"), in ASCII and full width.
func isSeparator(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '-', '.', '/', '(', ')', '[', ']', '~',
		'‐', '‑', '‒', '–', '—', '―', '−', '・',
		'－', '．', '／', '（', '）', '［', '］', '～':
		return true
	}
	return false
}

// digitValue returns the value of a decimal digit in ASCII, full width,
// Arabic-Indic or Extended Arabic-Indic (Persian) script, or -1.
func digitValue(r rune) int {
	for _, zero := range []rune{'0', '０', '٠', '۰'} {
		if zero <= r && r <= zero+9 {
			return int(r - zero)
		}
	}
	return -1
}

func isASCIIDigit(b byte) bool { return '0' <= b && b <= '9' }

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}
