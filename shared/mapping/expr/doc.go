// Package expr evaluates zohosync's mapping expressions: JMESPath (the
// community edition's grammar, parsed by
// github.com/jmespath-community/go-jmespath) evaluated by this package over
// JSON values decoded with UseNumber, plus named transforms for CRM data.
//
// Values are nil, bool, string, json.Number, []any and map[string]any.
// Numbers are never float64: comparisons, arithmetic on integers and
// decimals, to_string and output keep every digit, so a Shopify order id
// above 2^53 comes out exactly as it came in. Number literals written in an
// expression (`42`) are read as float64 by the parser; write large ids as
// strings and compare with to_string.
//
// Beyond the standard and community JMESPath functions (whose number
// handling is exact here), the transforms are:
//
//	email(s)                     trimmed, lower-cased address, or null if it is not one
//	split_name(s)                {"first": ..., "last": ...}; one word is a last name
//	phone(s, country?)           E.164 ("+15550100003"), or null if not a phone number
//	phone_ext(s, country?)       the extension of a phone number, or null
//	date(v, zone?)               Zoho date yyyy-MM-dd
//	datetime(v, zone?)           Zoho datetime yyyy-MM-ddTHH:mm:ss±hh:mm
//	money(minor, currency)       minor units to a decimal by the currency's exponent
//	picklist(v, name, default?)  the config's picklists[name][v]
//	multiselect(v, sep?)         a JSON array of strings
//	lookup(id)                   {"id": "<id>"}
//	truncate(s, n)               at most n characters (not bytes)
//	default(v, d)                v, or d when v is empty
//	coalesce(a, b, ...)          the first non-empty argument
//	compact(array)               the array without empty elements
//	concat(a, b, ...)            the non-null arguments as one string
//	to_boolean(v)                true/false from booleans and "true", "yes", "1", ...
//
// One deliberate difference from the JMESPath specification: to_string(null)
// is null, not the string "null", so a missing id can never become the match
// key "null".
//
// "Empty" means null, a string of only white space, [] or {}. Transforms
// return null for a null input, so a missing value stays missing.
//
// The variables $headers (request headers, lower-case names) and any others
// named in Options.Vars are bound when an expression is evaluated.
package expr
