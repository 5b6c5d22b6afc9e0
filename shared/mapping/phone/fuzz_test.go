package phone

import (
	"errors"
	"testing"
)

// FuzzPhone checks Parse on any text in any region: it never panics, it
// returns + and 8 to 15 digits or ErrNotPhoneNumber, and its output parses
// back to itself, with or without the region.
func FuzzPhone(f *testing.F) {
	seeds := []string{
		"(555) 010-0003 ext. 42", "+1 555-010-0001", "0044 20 7946 0958", "030 1234567",
		"+44 (0)20 7946 0958", "8~10 49 30 1234567", "tel:+1-555-010-0001;ext=42",
		"011 15 1234-5678", "0 21 11 98765-4321", "＋４４ ２０ ７９４６ ０９５８", "460-1234",
		"tel:7946-0958;phone-context=+4420", "Tel: 06 1234 5678", "call me", "",
	}
	for i, s := range seeds {
		f.Add(s, uint8(i*17))
	}
	f.Fuzz(func(t *testing.T, s string, pick uint8) {
		region := ""
		if int(pick) < len(regions) {
			region = regions[pick].iso
		}
		n, err := Parse(s, region)
		if err != nil {
			if !errors.Is(err, ErrNotPhoneNumber) {
				t.Fatalf("Parse(%q, %q) error %v is not ErrNotPhoneNumber", s, region, err)
			}
			return
		}
		out := n.E164()
		if !isE164(out) {
			t.Fatalf("Parse(%q, %q) = %q, not + and 8 to 15 digits", s, region, out)
		}
		for _, again := range []string{region, ""} {
			m, err := Parse(out, again)
			if err != nil || m.E164() != out || m.CallingCode != n.CallingCode {
				t.Fatalf("Parse(%q, %q) = %+v, %v; want %q again (from %q)", out, again, m, err, out, s)
			}
		}
	})
}

// isE164 reports whether s is + and 8 to 15 ASCII digits.
func isE164(s string) bool {
	if len(s) < 1+minE164 || len(s) > 1+maxE164 || s[0] != '+' {
		return false
	}
	return allDigits(s[1:])
}
