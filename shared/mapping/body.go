package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"
)

const formType = "application/x-www-form-urlencoded"

// mediaType returns the lower-case media type of a Content-Type value.
func mediaType(contentType string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// decodeBody reads a body as a form or, for any other type, as JSON.
func decodeBody(body []byte, contentType string) (any, error) {
	mt := mediaType(contentType)
	if mt == formType {
		return decodeForm(body)
	}
	v, err := decodeJSON(body)
	if err == nil {
		return v, nil
	}
	if !isJSONType(mt) && utf8.Valid(body) {
		// A type the source accepts besides JSON (content_types): the body
		// is one string for the expressions to work on.
		return string(body), nil
	}
	if mt == "" {
		mt = "application/json"
	}
	return nil, &BodyError{ContentType: mt, Reason: err.Error()}
}

// isJSONType reports JSON media types; an absent type counts as JSON.
func isJSONType(mt string) bool {
	return mt == "" || mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// decodeJSON decodes one JSON value, keeping numbers as json.Number.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty body")
		}
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// decodeForm reads a form body: each key maps to its value, or to an
// array of values when it is repeated.
func decodeForm(body []byte) (any, error) {
	q, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, &BodyError{ContentType: formType, Reason: err.Error()}
	}
	out := make(map[string]any, len(q))
	for k, vs := range q {
		if len(vs) == 1 {
			out[k] = vs[0]
			continue
		}
		arr := make([]any, len(vs))
		for i, v := range vs {
			arr[i] = v
		}
		out[k] = arr
	}
	return out, nil
}
