package phone

import (
	"errors"
	"fmt"
)

// Conditions callers branch on. Neither error's text quotes the number.
var (
	// ErrUnknownRegion: the default region is not an ISO 3166-1 alpha-2
	// code Parse knows.
	ErrUnknownRegion = errors.New("unknown region")
	// ErrNotPhoneNumber: the text cannot be a phone number (in the default
	// region, for a national number).
	ErrNotPhoneNumber = errors.New("not a phone number")
)

// Number is a phone number in E.164 terms.
type Number struct {
	// CallingCode is the country calling code's digits ("1", "44").
	CallingCode string
	// National is the national significant number: the digits after the
	// calling code, without any trunk prefix.
	National string
	// Extension is the extension's digits, or "".
	Extension string
}

// E164 returns the number as E.164: "+", the calling code and the
// national significant number ("+15550100003"). The extension is left out.
func (n Number) E164() string { return "+" + n.CallingCode + n.National }

// KnownRegion reports whether region (any case) is an ISO 3166-1 alpha-2
// code Parse accepts as a default region.
func KnownRegion(region string) bool {
	_, ok := lookupRegion(region)
	return ok
}

// Parse reads s, a phone number written in any common way, and returns it
// in E.164 terms. A number without a leading + is read in region (an ISO
// 3166-1 alpha-2 code, any case; "" for none): after the region's
// international call prefix as an international number, otherwise as a
// national one, without its trunk prefix. Without a region only numbers
// that start with + or 00 can be read.
//
// Plausibility is checked by length only (the calling code's national
// number lengths; 8 to 15 digits in all), never by which number ranges are
// allocated, so test numbers such as 555 ones pass. Errors are
// ErrUnknownRegion or ErrNotPhoneNumber, wrapped.
func Parse(s, region string) (Number, error) {
	reg, err := defaultRegion(region)
	if err != nil {
		return Number{}, err
	}
	sc, ok := scan(s)
	if !ok {
		return Number{}, fmt.Errorf("phone: unreadable: %w", ErrNotPhoneNumber)
	}
	n, ok := resolve(sc, reg)
	if !ok {
		return Number{}, fmt.Errorf("phone: implausible: %w", ErrNotPhoneNumber)
	}
	n.Extension = sc.ext
	return n, nil
}

// defaultRegion looks up Parse's region argument; "" is no region.
func defaultRegion(iso string) (*region, error) {
	if iso == "" {
		return nil, nil
	}
	r, ok := lookupRegion(iso)
	if !ok {
		return nil, fmt.Errorf("phone: region %q: %w", iso, ErrUnknownRegion)
	}
	return r, nil
}
