// Package phone normalizes phone numbers to E.164 ("+15550100003")
// without the weight of a full numbering-plan library.
//
// Parse reads numbers as people and forms write them: "(555) 010-0003
// ext. 42", "+1 555-010-0001", "+44 (0)20 7946 0958", "0044 20 7946 0958",
// "030 1234567" in Germany, "8 (812) 123-45-67" in Russia, dots, dashes,
// slashes, a leading label ("Tel:"), full-width and Arabic-Indic digits,
// and tel: URIs (RFC 3966, with ;ext= and a global phone-context). A number
// without a + is read in a default region given as an ISO 3166-1 alpha-2
// code: its international call prefix (00, 011 in the NANP, 8~10 in
// Russia, 010 in Japan, 0011 in Australia, ...) leads an international
// number, and its trunk prefix (0 in most of the world, 1 in the NANP, 8 in
// Russia and Kazakhstan, 06 in Hungary, none in Italy where the 0 belongs to
// the number) is dropped from a national one.
//
// The tables hold every ISO 3166-1 region (plus Ascension, Tristan da Cunha
// and Kosovo) with its calling code from the ITU-T E.164 assignment list,
// and per calling code its trunk prefixes and a deliberately wide range of
// national number lengths. A number is accepted when its length fits: the
// package never checks which ranges are allocated, so fictional 555 numbers
// pass, and it rejects only what surely is not a number. The whole E.164
// number has 8 to 15 digits; shorter numbers (the 4-digit numbers of a few
// small islands) are refused.
//
// Parse is idempotent on its output: an E164 string parses back to the same
// number. Known simplifications: letters are never read as digits
// ("1-800-FLOWERS" is refused), extension markers are English only (ext,
// extn, extension, x, #), carrier selection codes are dropped only in
// Brazil, and a national number that repeats the country's own calling code
// without a + is read as national.
//
// Everything is in static tables; the package has no init work and is safe
// for concurrent use.
package phone
