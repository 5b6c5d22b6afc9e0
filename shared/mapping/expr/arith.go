package expr

import (
	"encoding/json"
	"errors"
	"math/big"
	"strconv"

	"github.com/jmespath-community/go-jmespath/pkg/parsing"
)

var errDivZero = errors.New("division by zero")

// arith applies a binary arithmetic operator to two numbers: exactly for
// integers and decimals, as float64 only for a quotient with no finite
// decimal expansion. A non-number operand gives null, as in JMESPath.
func arith(op parsing.TokType, a, b any) (any, error) {
	x, okx := a.(json.Number)
	y, oky := b.(json.Number)
	if !okx || !oky {
		return nil, nil
	}
	if r, ok := intArith(op, x, y); ok {
		return r, nil
	}
	rx, okx := ratOf(x)
	ry, oky := ratOf(y)
	if !okx || !oky {
		return nil, errors.New("number out of range")
	}
	return ratArith(op, rx, ry)
}

// intArith is the fast path for +, - and * on int64 values that do not
// overflow.
func intArith(op parsing.TokType, a, b json.Number) (json.Number, bool) {
	x, err := strconv.ParseInt(string(a), 10, 64)
	if err != nil {
		return "", false
	}
	y, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return "", false
	}
	switch op {
	case parsing.TOKPlus:
		r := x + y
		if (x > 0 && y > 0 && r < 0) || (x < 0 && y < 0 && r >= 0) {
			return "", false
		}
		return numOfInt(r), true
	case parsing.TOKMinus:
		r := x - y
		if (x >= 0 && y < 0 && r < 0) || (x < 0 && y > 0 && r >= 0) {
			return "", false
		}
		return numOfInt(r), true
	case parsing.TOKStar, parsing.TOKMultiply:
		if x == 0 || y == 0 {
			return "0", true
		}
		r := x * y
		if r/y != x || (x == -1 && y < 0 && r < 0) || (y == -1 && x < 0 && r < 0) {
			return "", false
		}
		return numOfInt(r), true
	}
	return "", false
}

func ratArith(op parsing.TokType, x, y *big.Rat) (any, error) {
	r := new(big.Rat)
	switch op {
	case parsing.TOKPlus:
		r.Add(x, y)
	case parsing.TOKMinus:
		r.Sub(x, y)
	case parsing.TOKStar, parsing.TOKMultiply:
		r.Mul(x, y)
	case parsing.TOKDivide, parsing.TOKDiv, parsing.TOKModulo:
		if y.Sign() == 0 {
			return nil, errDivZero
		}
		r.Quo(x, y)
		if op == parsing.TOKDiv {
			r.SetInt(floorRat(r))
		} else if op == parsing.TOKModulo {
			// x - y*trunc(x/y): the sign follows the dividend.
			t := new(big.Rat).SetInt(new(big.Int).Quo(r.Num(), r.Denom()))
			r.Sub(x, t.Mul(t, y))
		}
	default:
		return nil, errors.New("unknown arithmetic operator")
	}
	return numOfRat(r)
}

// floorRat is the largest integer not above r.
func floorRat(r *big.Rat) *big.Int {
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() < 0 {
		q.Sub(q, big.NewInt(1))
	}
	return q
}

// ceilRat is the smallest integer not below r.
func ceilRat(r *big.Rat) *big.Int {
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// negate flips a number's sign exactly.
func negate(n json.Number) json.Number {
	s := string(n)
	if len(s) > 0 && s[0] == '-' {
		return json.Number(s[1:])
	}
	if r, ok := ratOf(n); ok && r.Sign() == 0 {
		return n
	}
	return json.Number("-" + s)
}
