package webhook

import (
	"strconv"
	"time"
)

// Default tolerances for schemes that sign a timestamp.
const (
	DefaultTolerance         = 5 * time.Minute
	DefaultCalendlyTolerance = 3 * time.Minute
)

// maxTimestampDigits bounds a Unix-seconds value (12 digits reach year 33658).
const maxTimestampDigits = 12

// parseUnix parses a Unix time in seconds written as plain decimal digits
// (no sign, no spaces, no fraction).
func parseUnix(s string) (int64, bool) {
	if s == "" || len(s) > maxTimestampDigits {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// checkAge rejects a signed timestamp more than tol away from now, in
// either direction. Whole seconds are compared, as senders sign them.
func checkAge(ts int64, now time.Time, tol time.Duration) error {
	limit := int64(tol / time.Second)
	age := now.Unix() - ts
	switch {
	case age > limit:
		return &Error{Code: CodeTimestamp, Reason: "signed timestamp is " +
			strconv.FormatInt(age, 10) + "s old; tolerance is " + strconv.FormatInt(limit, 10) + "s"}
	case -age > limit:
		return &Error{Code: CodeTimestamp, Reason: "signed timestamp is " +
			strconv.FormatInt(-age, 10) + "s in the future; tolerance is " + strconv.FormatInt(limit, 10) + "s"}
	}
	return nil
}
