package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zones must work on hosts without a zoneinfo database
)

// Zoho's formats: a date, and a datetime to the second with an offset.
const (
	zohoDate     = "2006-01-02"
	zohoDatetime = "2006-01-02T15:04:05-07:00"
)

var zones sync.Map // name -> *time.Location

// zone loads an IANA time zone once.
func zone(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	if name == "" || strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("time zone %q: name an IANA zone such as Europe/Berlin or UTC", name)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	zones.Store(name, l)
	return l, nil
}

func checkZone(_ *Env, consts []any) error {
	if len(consts) < 2 {
		return nil
	}
	if z, ok := consts[1].(string); ok {
		_, err := zone(z)
		return err
	}
	return nil
}

// instant is a parsed time; dateOnly marks yyyy-MM-dd input, which has no
// time of day and no zone to convert.
type instant struct {
	t        time.Time
	dateOnly bool
}

// The text layouts readTime accepts, after RFC 3339 (any fraction).
var naiveLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05Z07:00"}

// readTime reads unix seconds (a number or numeric string), RFC 3339 with
// any fraction, a naive date-time (read in the zone, else UTC) or a date.
func readTime(v any, loc *time.Location) (instant, error) {
	var s string
	switch x := v.(type) {
	case json.Number:
		return unixTime(x)
	case string:
		s = strings.TrimSpace(x)
	}
	if n, ok := parseNumber(s); ok {
		return unixTime(n)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return instant{t: t}, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	for _, layout := range naiveLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return instant{t: t}, nil
		}
	}
	if t, err := time.ParseInLocation(zohoDate, s, loc); err == nil {
		return instant{t: t, dateOnly: true}, nil
	}
	return instant{}, fmt.Errorf("%q is not a time (unix seconds, RFC 3339 or yyyy-MM-dd)", s)
}

// unixTime reads unix seconds, with an optional fraction.
func unixTime(n json.Number) (instant, error) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > 253402300799 { // year 9999
		return instant{}, fmt.Errorf("%s is not a unix time in seconds", n)
	}
	sec, frac := math.Modf(f)
	return instant{t: time.Unix(int64(sec), int64(frac*1e9)).UTC()}, nil
}

// timeArgs reads the value and the optional zone argument.
func timeArgs(a []any) (instant, *time.Location, error) {
	var loc *time.Location
	if len(a) > 1 {
		l, err := zone(a[1].(string))
		if err != nil {
			return instant{}, nil, err
		}
		loc = l
	}
	if s, ok := a[0].(string); ok && strings.TrimSpace(s) == "" {
		return instant{}, nil, errBlankTime
	}
	in, err := readTime(a[0], loc)
	return in, loc, err
}

var errBlankTime = errors.New("blank time")

// fnDate formats a Zoho date; with a zone, an instant is first moved into it.
func fnDate(_ *evalCtx, a []any) (any, error) {
	in, loc, err := timeArgs(a)
	if errors.Is(err, errBlankTime) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if loc != nil && !in.dateOnly {
		in.t = in.t.In(loc)
	}
	return in.t.Format(zohoDate), nil
}

// fnDatetime formats a Zoho datetime, truncated to the second. Without a
// zone an RFC 3339 input keeps its own offset and unix times are UTC.
func fnDatetime(_ *evalCtx, a []any) (any, error) {
	in, loc, err := timeArgs(a)
	if errors.Is(err, errBlankTime) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if loc != nil {
		in.t = in.t.In(loc)
	}
	return in.t.Truncate(time.Second).Format(zohoDatetime), nil
}
