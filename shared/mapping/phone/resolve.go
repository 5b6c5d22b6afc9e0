package phone

import "strings"

// E.164 bounds on the whole number (calling code and national significant
// number). Fewer than 8 digits is refused as surely not a full number.
const (
	minE164 = 8
	maxE164 = 15
)

// resolve turns scanned digits into a number: after a + as an
// international number; in reg, first after one of its international call
// prefixes, then as a national number, then after "00".
func resolve(sc scanned, reg *region) (Number, bool) {
	if sc.plus {
		return international(sc.digits)
	}
	if reg != nil {
		if n, ok := afterPrefixes(sc.digits, reg.idd); ok {
			return n, true
		}
		if n, ok := national(sc.digits, reg); ok {
			return n, true
		}
	}
	return afterPrefixes(sc.digits, "00")
}

// afterPrefixes reads digits as an international number after the first
// of the space-separated prefixes ("" means "00") that leads to one.
func afterPrefixes(digits, prefixes string) (Number, bool) {
	if prefixes == "" {
		prefixes = "00"
	}
	for p := range strings.FieldsSeq(prefixes) {
		if rest, ok := cutPrefix(digits, p); ok {
			if n, ok := international(rest); ok {
				return n, true
			}
		}
	}
	return Number{}, false
}

// international reads digits that start with a calling code. The national
// part is taken as written when it is plausible, so that an E.164 number
// reads back unchanged; otherwise without a trunk prefix ("+44 (0)20 ...").
func international(digits string) (Number, bool) {
	c, rest, ok := splitCode(digits)
	if !ok {
		return Number{}, false
	}
	var buf [8]string
	cands := append(buf[:0], rest, argentineMobile(c, rest))
	cands = c.withoutTrunk(cands, rest)
	return c.pick(cands)
}

// national reads digits dialled inside reg: without the trunk prefix when
// that leaves a plausible number, else as written; a territory's local
// number gets its area code.
func national(digits string, reg *region) (Number, bool) {
	c, ok := lookupCode(reg.cc)
	if !ok {
		return Number{}, false
	}
	var buf [8]string
	cands := buf[:0]
	if local, ok := reg.localArea(digits); ok {
		cands = append(cands, local)
	}
	cands = c.withoutTrunk(cands, digits)
	cands = append(cands, digits)
	cands = append(cands, argentineMobile(c, digits))
	return c.pick(cands)
}

// withoutTrunk appends digits without each trunk prefix it starts with,
// and Argentina's mobile form of each.
func (c *callingCode) withoutTrunk(cands []string, digits string) []string {
	for t := range strings.FieldsSeq(c.trunk) {
		if rest, ok := cutPrefix(digits, t); ok {
			cands = append(cands, rest, argentineMobile(c, rest))
		}
	}
	return cands
}

// pick returns the first plausible national significant number.
func (c *callingCode) pick(cands []string) (Number, bool) {
	for _, nsn := range cands {
		if c.plausible(nsn) {
			return Number{CallingCode: c.cc, National: nsn}, true
		}
	}
	return Number{}, false
}

// plausible reports whether nsn can be a national significant number
// under c: its length, the whole number's length, no leading 00 (the
// ITU's international prefix), no leading 0 where 0 is the trunk prefix
// (such numbers would be ambiguous), and a NANP area code that starts with
// 2 to 9.
func (c *callingCode) plausible(nsn string) bool {
	n := len(nsn)
	if n == 0 || n < c.min || n > c.max || len(c.cc)+n < minE164 || len(c.cc)+n > maxE164 {
		return false
	}
	if nsn[0] == '0' && (strings.HasPrefix(nsn, "00") || c.zeroTrunk()) {
		return false
	}
	return c.cc != "1" || nsn[0] >= '2'
}

// zeroTrunk reports whether one of c's trunk prefixes starts with 0.
func (c *callingCode) zeroTrunk() bool {
	for t := range strings.FieldsSeq(c.trunk) {
		if t[0] == '0' {
			return true
		}
	}
	return false
}

// argentineMobile rewrites an Argentine mobile number dialled nationally
// (area code, 15, subscriber number: 12 digits) to its international form
// (9, area code, subscriber number). It returns "" for anything else.
func argentineMobile(c *callingCode, nsn string) string {
	if c.cc != "54" || len(nsn) != 12 {
		return ""
	}
	for area := 2; area <= 4; area++ {
		if nsn[area:area+2] != "15" {
			continue
		}
		if (area == 2 && nsn[:2] == "11") || (area > 2 && (nsn[0] == '2' || nsn[0] == '3')) {
			return "9" + nsn[:area] + nsn[area+2:]
		}
	}
	return ""
}

// cutPrefix cuts prefix p off digits; '#' in p matches any digit.
func cutPrefix(digits, p string) (string, bool) {
	if len(digits) < len(p) {
		return "", false
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '#' && p[i] != digits[i] {
			return "", false
		}
	}
	return digits[len(p):], true
}
