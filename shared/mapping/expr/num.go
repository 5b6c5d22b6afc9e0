package expr

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// numberRE is a decimal number as people write it: an optional sign,
// digits (leading zeros allowed), an optional fraction and exponent.
var numberRE = regexp.MustCompile(`^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$`)

// parseNumber reads a decimal string into a canonical JSON number: no plus
// sign, no redundant leading zeros, every given digit kept.
func parseNumber(s string) (json.Number, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 400 || !numberRE.MatchString(s) {
		return "", false
	}
	neg := s[0] == '-'
	s = strings.TrimLeft(s, "+-")
	mant, exp, _ := strings.Cut(strings.ToLower(s), "e")
	ip, fp, hasDot := strings.Cut(mant, ".")
	ip = strings.TrimLeft(ip, "0")
	if ip == "" {
		ip = "0"
	}
	out := ip
	if hasDot && fp != "" {
		out += "." + fp
	}
	if exp != "" {
		out += "e" + exp
	}
	if neg && strings.Trim(out, "0.e+-") != "" {
		out = "-" + out
	}
	return json.Number(out), true
}

// ratOf returns n as an exact rational.
func ratOf(n json.Number) (*big.Rat, bool) {
	s := string(n)
	if len(s) > 400 {
		return nil, false
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 400 || e < -400 {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// cmpNum compares two numbers exactly: -1, 0 or +1.
func cmpNum(a, b json.Number) int {
	if x, err := strconv.ParseInt(string(a), 10, 64); err == nil {
		if y, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	x, okx := ratOf(a)
	y, oky := ratOf(b)
	if !okx || !oky {
		return strings.Compare(string(a), string(b))
	}
	return x.Cmp(y)
}

// numOfInt renders an integer.
func numOfInt(i int64) json.Number { return json.Number(strconv.FormatInt(i, 10)) }

// numOfFloat renders a float64 as the shortest JSON number that reads
// back to it.
func numOfFloat(f float64) (json.Number, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", errors.New("number is not finite")
	}
	a := math.Abs(f)
	if a == 0 || (a >= 1e-6 && a < 1e21) {
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), nil
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// numOfRat renders r exactly when it has a finite decimal expansion, else
// as the nearest float64.
func numOfRat(r *big.Rat) (json.Number, error) {
	if r.IsInt() {
		return json.Number(r.Num().String()), nil
	}
	if places, ok := decimalPlaces(r.Denom()); ok {
		return json.Number(r.FloatString(places)), nil
	}
	f, _ := r.Float64()
	return numOfFloat(f)
}

// decimalPlaces returns how many decimals 1/d needs when d has no prime
// factors but 2 and 5.
func decimalPlaces(d *big.Int) (int, bool) {
	if d.BitLen() > 2048 {
		return 0, false
	}
	x := new(big.Int).Set(d)
	two, five, zero := big.NewInt(2), big.NewInt(5), new(big.Int)
	m := new(big.Int)
	var twos, fives int
	for {
		if m.Mod(x, two).Cmp(zero) != 0 {
			break
		}
		x.Quo(x, two)
		twos++
	}
	for {
		if m.Mod(x, five).Cmp(zero) != 0 {
			break
		}
		x.Quo(x, five)
		fives++
	}
	return max(twos, fives), x.IsInt64() && x.Int64() == 1
}

// toInt reads an integral number that fits an int.
func toInt(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	if i, err := strconv.ParseInt(string(n), 10, 0); err == nil {
		return int(i), true
	}
	r, ok := ratOf(n)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	i := r.Num().Int64()
	return int(i), int64(int(i)) == i
}
