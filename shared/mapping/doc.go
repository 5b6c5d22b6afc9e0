// Package mapping turns one webhook event into the Zoho CRM operations the
// config asks for, and finds each event's id for deduplication.
//
//	m, err := mapping.New(cfg)        // compiles every expression once
//	ops, err := m.Map(env, body)      // operations for one event
//	id, err := m.EventID(source, headers, body, contentType)
//
// Mapping is pure: no I/O, no clock, no randomness; the same config, envelope
// and body always give the same operations. A Mapper is safe for concurrent
// use.
//
// Bodies are JSON (decoded with UseNumber, so ids above 2^53 stay exact) or
// application/x-www-form-urlencoded (an object of strings; a repeated key
// becomes an array). A body of another type a source accepts (content_types)
// is read as JSON when it parses, else as one string. Expressions see the body as the current value, and the
// variables $headers (lower-case names), $source, $event_id, $received_at
// and $org. See package expr for the expression language.
//
// Rules Map applies:
//   - Routes are tried in order and every matching route contributes its
//     ops, unless a matching route has ignore: true, which drops the event.
//   - An op whose when is false is skipped; a lookup field that refers to a
//     skipped op is left out (and has no Ref).
//   - An empty field value (null, blank string, [] or {}) is omitted unless
//     the field says if_empty: null (send null) or fail (a mapping error),
//     so a missing value never blanks CRM data.
//   - An upsert's Match keeps only the match fields that have a value; if
//     none has, the event has no usable match key and Map fails with
//     CodeNoMatchKey rather than let Zoho create a duplicate.
//   - An update needs a record id made of digits.
//
// Errors about one event are *Error values, kept whole in the dead letter.
package mapping
