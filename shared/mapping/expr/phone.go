package expr

import (
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// supportedRegions are the countries phone() knows.
var supportedRegions = phonenumbers.GetSupportedRegions()

func checkCountry(_ *Env, consts []any) error {
	if len(consts) < 2 {
		return nil
	}
	if c, ok := consts[1].(string); ok && !supportedRegions[strings.ToUpper(c)] {
		return fmt.Errorf("%q is not a country code phone() knows (ISO 3166 alpha-2, e.g. US)", c)
	}
	return nil
}

// parsePhone reads a phone number written in any common way. A number
// without a leading + (or 00) is read in the default country. It returns
// nil when the text cannot be a phone number there. Plausibility is
// checked by length only, not by the allocation of the number, so test
// numbers such as 555 ones pass.
func parsePhone(a []any) (*phonenumbers.PhoneNumber, error) {
	s, err := stringOf(a[0])
	if err != nil {
		return nil, err
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return nil, nil
	}
	region := "ZZ"
	if len(a) > 1 {
		region = strings.ToUpper(a[1].(string))
		if !supportedRegions[region] {
			return nil, fmt.Errorf("%q is not a country code phone() knows", a[1])
		}
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return nil, nil
	}
	return num, nil
}

// fnPhone formats a phone number as E.164 (the extension is left out; see
// phone_ext).
func fnPhone(_ *evalCtx, a []any) (any, error) {
	num, err := parsePhone(a)
	if err != nil || num == nil {
		return nil, err
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// fnPhoneExt returns a phone number's extension, or null.
func fnPhoneExt(_ *evalCtx, a []any) (any, error) {
	num, err := parsePhone(a)
	if err != nil || num == nil || num.GetExtension() == "" {
		return nil, err
	}
	return num.GetExtension(), nil
}
