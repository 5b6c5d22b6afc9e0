package phone

import (
	"sort"
	"strings"
	"testing"
)

// isoRegions is every ISO 3166-1 alpha-2 code, written out independently of
// the regions table.
const isoRegions = `
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`

func TestRegionsCoverISO3166(t *testing.T) {
	iso := strings.Fields(isoRegions)
	if len(iso) != 249 {
		t.Fatalf("isoRegions has %d codes, want 249", len(iso))
	}
	for _, code := range iso {
		if !KnownRegion(code) {
			t.Errorf("region %s is missing", code)
		}
	}
	if got, want := len(regions), len(iso)+3; got != want {
		t.Errorf("regions has %d entries, want %d (ISO plus AC, TA, XK)", got, want)
	}
}

func TestRegionsTable(t *testing.T) {
	if !sort.SliceIsSorted(regions, func(i, j int) bool { return regions[i].iso < regions[j].iso }) {
		t.Error("regions is not sorted by iso")
	}
	for i, r := range regions {
		if i > 0 && regions[i-1].iso == r.iso {
			t.Errorf("region %s twice", r.iso)
		}
		if _, ok := lookupCode(r.cc); !ok {
			t.Errorf("region %s: calling code %s is not in codes", r.iso, r.cc)
		}
		for p := range strings.FieldsSeq(r.idd) {
			if strings.Trim(p, "0123456789#") != "" {
				t.Errorf("region %s: international prefix %q is not digits", r.iso, p)
			}
		}
		if (r.area == "") != (r.local == 0) || !allDigitsOrEmpty(r.area) || !allDigitsOrEmpty(r.lead) {
			t.Errorf("region %s: bad local area %q/%d/%q", r.iso, r.area, r.local, r.lead)
		}
	}
}

func TestCodesTable(t *testing.T) {
	if !sort.SliceIsSorted(codes, func(i, j int) bool { return codes[i].cc < codes[j].cc }) {
		t.Error("codes is not sorted by cc")
	}
	for i, c := range codes {
		if !allDigits(c.cc) || len(c.cc) > 3 || c.cc[0] == '0' {
			t.Errorf("calling code %q is not 1 to 3 digits", c.cc)
		}
		for j, d := range codes {
			if i != j && strings.HasPrefix(d.cc, c.cc) {
				t.Errorf("calling code %s is a prefix of %s", c.cc, d.cc)
			}
		}
		if c.min < 1 || c.min > c.max || len(c.cc)+c.min > maxE164 {
			t.Errorf("calling code %s: bad length range %d-%d", c.cc, c.min, c.max)
		}
		for p := range strings.FieldsSeq(c.trunk) {
			if strings.Trim(p, "0123456789#") != "" {
				t.Errorf("calling code %s: trunk prefix %q is not digits", c.cc, p)
			}
		}
	}
}

// TestEveryRegionParses checks each region end to end with a number of
// the calling code's longest plausible length, written with the + and
// read back unchanged.
func TestEveryRegionParses(t *testing.T) {
	for _, r := range regions {
		c, _ := lookupCode(r.cc)
		n := min(c.max, maxE164-len(c.cc))
		nsn := "9" + strings.Repeat("1", n-1)
		in := "+" + r.cc + " " + nsn
		got, err := Parse(in, r.iso)
		if err != nil || got.E164() != "+"+r.cc+nsn {
			t.Errorf("Parse(%q, %s) = %s, %v", in, r.iso, got.E164(), err)
		}
	}
}

func allDigitsOrEmpty(s string) bool { return s == "" || allDigits(s) }
