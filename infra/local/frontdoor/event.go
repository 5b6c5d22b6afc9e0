package frontdoor

import (
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// RouteKey is the only route the front door serves, as in template.yaml.
const RouteKey = "POST /hooks/{source}"

// buildEvent turns a request and its body into the event API Gateway would
// hand the function. source is the decoded {source} path segment.
func buildEvent(r *http.Request, body []byte, source, requestID string, now time.Time, apiID string) events.APIGatewayV2HTTPRequest {
	headers, cookies := flattenHeaders(r.Header)
	headers["host"] = r.Host
	ev := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       RouteKey,
		RawPath:        r.URL.EscapedPath(),
		RawQueryString: r.URL.RawQuery,
		Cookies:        cookies,
		Headers:        headers,
		PathParameters: map[string]string{"source": source},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     RouteKey,
			AccountID:    "000000000000",
			APIID:        apiID,
			Stage:        "$default",
			RequestID:    requestID,
			DomainName:   r.Host,
			DomainPrefix: domainPrefix(r.Host),
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP(r.RemoteAddr),
				UserAgent: r.UserAgent(),
			},
		},
	}
	if q := flattenQuery(r.URL.Query()); len(q) > 0 {
		ev.QueryStringParameters = q
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type"), body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// flattenHeaders lower-cases names and joins repeated values with commas;
// Cookie headers become the cookies list instead.
func flattenHeaders(h http.Header) (map[string]string, []string) {
	out := make(map[string]string, len(h))
	var cookies []string
	for name, vals := range h {
		lower := strings.ToLower(name)
		if lower == "cookie" {
			for _, v := range vals {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		out[lower] = strings.Join(vals, ",")
	}
	return out, cookies
}

func flattenQuery(q url.Values) map[string]string {
	out := make(map[string]string, len(q))
	for k, vals := range q {
		out[k] = strings.Join(vals, ",")
	}
	return out
}

// isText reports whether a body travels as text rather than base64.
func isText(contentType string, body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/json", mt == "application/xml", mt == "application/javascript",
		mt == "application/yaml", mt == "application/x-yaml":
		return true
	case strings.HasPrefix(mt, "application/") && (strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml")):
		return true
	}
	return false
}

func sourceIP(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

func domainPrefix(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if i := strings.IndexByte(host, '.'); i > 0 && net.ParseIP(host) == nil {
		return host[:i]
	}
	return host
}
