package ingest

import (
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// body returns the request body as the sender sent it, base64-decoding it
// when the event says so, within the source's limit.
func (s *source) body(req *events.APIGatewayV2HTTPRequest) ([]byte, *outcome) {
	if !req.IsBase64Encoded {
		if len(req.Body) > s.maxBody {
			return nil, s.tooLarge()
		}
		return []byte(req.Body), nil
	}
	// Refuse before decoding what cannot fit.
	if base64.StdEncoding.DecodedLen(len(req.Body))-2 > s.maxBody {
		return nil, s.tooLarge()
	}
	b, err := base64.StdEncoding.DecodeString(req.Body)
	if err != nil {
		return nil, fail(http.StatusBadRequest, CodeMalformedBody, "the body is marked base64 but does not decode")
	}
	if len(b) > s.maxBody {
		return nil, s.tooLarge()
	}
	return b, nil
}

func (s *source) tooLarge() *outcome {
	return fail(http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
		"the body is larger than this source's limit of "+strconv.Itoa(s.maxBody)+" bytes")
}

// checkContent accepts JSON and form bodies that parse, and other media
// types the source lists.
func (s *source) checkContent(contentType string, body []byte) *outcome {
	mt := ""
	if strings.TrimSpace(contentType) != "" {
		var err error
		if mt, _, err = mime.ParseMediaType(contentType); err != nil {
			return fail(http.StatusUnsupportedMediaType, CodeUnsupportedType, "the Content-Type header cannot be parsed")
		}
	}
	switch {
	case mt == "application/json" || (strings.HasSuffix(mt, "+json") && strings.Contains(mt, "/")):
		if !json.Valid(body) {
			return fail(http.StatusBadRequest, CodeMalformedJSON, "the body is not valid JSON")
		}
	case mt == "application/x-www-form-urlencoded":
		if _, err := url.ParseQuery(string(body)); err != nil {
			return fail(http.StatusBadRequest, CodeMalformedForm, "the body is not a valid URL-encoded form")
		}
	case s.allows(mt):
	case mt == "":
		return fail(http.StatusUnsupportedMediaType, CodeUnsupportedType, "the Content-Type header is missing")
	default:
		return fail(http.StatusUnsupportedMediaType, CodeUnsupportedType,
			"this source accepts application/json and application/x-www-form-urlencoded bodies")
	}
	return nil
}
