package expr

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zohosync/zohosync/shared/mapping/phone"
)

func checkCountry(_ *Env, consts []any) error {
	if len(consts) < 2 {
		return nil
	}
	if c, ok := consts[1].(string); ok && !phone.KnownRegion(c) {
		return fmt.Errorf("%q is not a country code phone() knows (ISO 3166 alpha-2, e.g. US)", c)
	}
	return nil
}

// maxPhoneInput bounds the text phone() reads, in bytes.
const maxPhoneInput = 64

// parsePhone reads a phone number written in any common way. A number
// without a leading + (or 00) is read in the default country. It returns
// false when the text cannot be a phone number there. Plausibility is
// checked by length only, not by the allocation of the number, so test
// numbers such as 555 ones pass.
func parsePhone(a []any) (phone.Number, bool, error) {
	s, err := stringOf(a[0])
	if err != nil {
		return phone.Number{}, false, err
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxPhoneInput {
		return phone.Number{}, false, nil
	}
	region := ""
	if len(a) > 1 {
		region = a[1].(string)
		if !phone.KnownRegion(region) {
			return phone.Number{}, false, fmt.Errorf("%q is not a country code phone() knows", a[1])
		}
	}
	num, err := phone.Parse(s, region)
	if errors.Is(err, phone.ErrNotPhoneNumber) {
		return phone.Number{}, false, nil
	}
	if err != nil {
		return phone.Number{}, false, fmt.Errorf("phone: %w", err)
	}
	return num, true, nil
}

// fnPhone formats a phone number as E.164 (the extension is left out; see
// phone_ext).
func fnPhone(_ *evalCtx, a []any) (any, error) {
	num, ok, err := parsePhone(a)
	if err != nil || !ok {
		return nil, err
	}
	return num.E164(), nil
}

// fnPhoneExt returns a phone number's extension, or null.
func fnPhoneExt(_ *evalCtx, a []any) (any, error) {
	num, ok, err := parsePhone(a)
	if err != nil || !ok || num.Extension == "" {
		return nil, err
	}
	return num.Extension, nil
}
