package zohosim

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// route is a parsed /crm/... path.
type route struct {
	endpoint string // insert, update, upsert, composite or other
	version  int
	mod      *module
	module   string
	id       string // PUT /{module}/{id}
}

var versionPattern = regexp.MustCompile(`^v([0-9]+)(?:\.[0-9]+)?$`)

// Zoho resources that are real but outside this simulator: they answer
// NOT_SUPPORTED rather than pretend to be bad URLs.
var (
	otherResources = []string{"coql", "settings", "users", "org", "bulk", "Notes", "Attachments", "Tags"}
	moduleSubPaths = []string{"search", "actions", "deleted", "bulk", "Tags"}
)

const (
	minVersion          = 2
	maxVersion          = 8
	minCompositeVersion = 3
	compositeResource   = "__composite_requests"
)

// parseRoute maps a method and path to a route. A 404 error means the path
// itself is wrong; other errors (method, module) are reported after
// authentication.
func parseRoute(sch *schema, method, path string) (route, *apiError) {
	rest := strings.TrimSuffix(strings.TrimPrefix(path, "/crm/"), "/")
	seg := strings.Split(rest, "/")
	m := versionPattern.FindStringSubmatch(seg[0])
	if m == nil || len(seg) < 2 || slices.Contains(seg, "") {
		return route{endpoint: "other"}, errInvalidURL()
	}
	v, _ := strconv.Atoi(m[1])
	if v < minVersion || v > maxVersion {
		return route{endpoint: "other"}, errInvalidURL()
	}
	rt := route{endpoint: "other", version: v, module: seg[1]}
	switch {
	case seg[1] == compositeResource:
		return compositeRoute(rt, method, len(seg))
	case slices.Contains(otherResources, seg[1]):
		return rt, errNotSupported("/crm/" + seg[0] + "/" + seg[1])
	}
	rt, err := moduleRoute(rt, method, seg[2:])
	if err != nil && err.httpStatus == http.StatusNotFound {
		return rt, err
	}
	if rt.mod = sch.modules[seg[1]]; rt.mod == nil && err == nil {
		return rt, errInvalidModule()
	}
	return rt, err
}

func compositeRoute(rt route, method string, n int) (route, *apiError) {
	rt.endpoint, rt.module = "composite", ""
	switch {
	case n != 2:
		return rt, errInvalidURL()
	case method != http.MethodPost:
		return rt, errInvalidMethod()
	case rt.version < minCompositeVersion:
		return rt, errAPINotSupported()
	}
	return rt, nil
}

// moduleRoute handles /{module}, /{module}/upsert and /{module}/{id}.
func moduleRoute(rt route, method string, tail []string) (route, *apiError) {
	switch {
	case len(tail) == 0:
		return methodRoute(rt, method, map[string]string{http.MethodPost: "insert", http.MethodPut: "update"})
	case len(tail) == 1 && tail[0] == "upsert":
		if method != http.MethodPost {
			return rt, errInvalidMethod()
		}
		rt.endpoint = "upsert"
		return rt, nil
	case len(tail) == 1 && isRecordID(tail[0]):
		rt.id = tail[0]
		return methodRoute(rt, method, map[string]string{http.MethodPut: "update"})
	case isRecordID(tail[0]) || slices.Contains(moduleSubPaths, tail[0]):
		return rt, errNotSupported("this resource")
	}
	return rt, errInvalidURL()
}

// methodRoute picks the endpoint for method; GET and DELETE exist at Zoho
// but are not simulated.
func methodRoute(rt route, method string, ok map[string]string) (route, *apiError) {
	if ep, found := ok[method]; found {
		rt.endpoint = ep
		return rt, nil
	}
	if method == http.MethodGet || method == http.MethodDelete {
		return rt, errNotSupported(method + " on records")
	}
	return rt, errInvalidMethod()
}
