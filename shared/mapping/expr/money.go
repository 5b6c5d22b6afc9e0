package expr

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// currencyExponents lists ISO 4217 currencies whose minor unit is not the
// usual 1/100: zero-decimal ones have none, three-decimal ones have 1/1000.
var currencyExponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

var currencyRE = regexp.MustCompile(`^[A-Za-z]{3}$`)

// exponent returns how many decimals a currency's minor unit has.
func exponent(code string) (int, error) {
	if !currencyRE.MatchString(code) {
		return 0, fmt.Errorf("%q is not an ISO 4217 currency code", code)
	}
	if e, ok := currencyExponents[strings.ToUpper(code)]; ok {
		return e, nil
	}
	return 2, nil
}

func checkCurrency(_ *Env, consts []any) error {
	if c, ok := consts[1].(string); ok {
		_, err := exponent(c)
		return err
	}
	return nil
}

// fnMoney turns an integer amount in a currency's minor unit into a decimal
// with the currency's number of places: money(8910, 'usd') = 89.10,
// money(4980, 'JPY') = 4980, money(1234, 'KWD') = 1.234.
func fnMoney(_ *evalCtx, a []any) (any, error) {
	exp, err := exponent(a[1].(string))
	if err != nil {
		return nil, err
	}
	var n json.Number
	switch x := a[0].(type) {
	case json.Number:
		n = x
	case string:
		if strings.TrimSpace(x) == "" {
			return nil, nil
		}
		p, ok := parseNumber(x)
		if !ok {
			return nil, fmt.Errorf("%q is not an amount", x)
		}
		n = p
	}
	r, ok := ratOf(n)
	if !ok || !r.IsInt() {
		return nil, fmt.Errorf("%s is not a whole number of minor units", n)
	}
	r.Quo(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	return json.Number(r.FloatString(exp)), nil
}
