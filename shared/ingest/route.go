package ingest

import (
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// route finds the source a request is for. An HTTP API passes it as the
// {source} path parameter; a Function URL has no path parameters, so the
// raw path must end in /hooks/{source} (a trailing slash is allowed, as is
// a leading stage name).
func (h *Handler) route(req *events.APIGatewayV2HTTPRequest) (*source, *outcome) {
	name, ok := req.PathParameters["source"]
	if !ok {
		p := req.RawPath
		if p == "" {
			p = req.RequestContext.HTTP.Path
		}
		name, ok = sourceFromPath(p)
	}
	if !ok || name == "" {
		return nil, fail(http.StatusNotFound, CodeNotFound, "POST webhooks to /hooks/{source}")
	}
	if m := req.RequestContext.HTTP.Method; m != http.MethodPost {
		o := fail(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "webhooks must be POSTed")
		o.allow = http.MethodPost
		return nil, o
	}
	s := h.sources[name]
	if s == nil {
		return nil, fail(http.StatusNotFound, CodeUnknownSource, "no source of that name is configured")
	}
	return s, nil
}

func sourceFromPath(p string) (string, bool) {
	p = strings.TrimSuffix(p, "/")
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", false
	}
	dir, name := p[:i], p[i+1:]
	if !strings.HasSuffix(dir, "/hooks") {
		return "", false
	}
	return name, name != ""
}
