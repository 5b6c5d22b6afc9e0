package zohosim

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Composite requests (docs/ZOHO.md §3,
// https://www.zoho.com/crm/developer/docs/api/v8/composite-api.html): at
// most 5 sub-requests, one record per write sub-request, references between
// them, optional rollback. Parallel execution runs sub-requests in an order
// that honours their references (one valid interleaving of a parallel run).

const (
	maxSubRequests    = 5
	compositeUnits    = 5
	subRecordLimit    = 1
	compositeKey      = "__composite_requests"
	compositeKeyPath  = "$.__composite_requests"
	subURIPatternText = `/crm(/.*)?/v[0-9]+([.][0-9]+)?/.*`
)

var (
	subURIPattern = regexp.MustCompile(`^` + subURIPatternText + `$`)
	subVersion    = regexp.MustCompile(`/v([0-9]+)(?:\.[0-9]+)?/`)
	subMethods    = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
)

// compositeReq is a validated composite body.
type compositeReq struct {
	version  int
	rollback bool
	parallel bool
	items    []*subRequest
	token    accessToken
	dc       string
}

// subRequest is one item, with its outcome once run.
type subRequest struct {
	index   int
	id      string
	method  string
	uri     string
	params  map[string]any
	body    any
	headers map[string]any
	refs    []reference
	err     *apiError // item-level error: not triggered
	inner   *innerResponse
	results map[string]int
}

// innerResponse is the wrapped HTTP answer of a triggered sub-request.
type innerResponse struct {
	StatusCode int               `json:"status_code"`
	Headers    map[string]string `json:"headers"`
	Body       any               `json:"body"`
}

func (it *subRequest) path(key string) string {
	p := compositeKeyPath + "[" + strconv.Itoa(it.index) + "]"
	if key != "" {
		p += "." + key
	}
	return p
}

// compositeJob validates the composite body and wraps it as a job holding 5
// concurrency units and 1 sub-concurrency unit.
func (s *Sim) compositeJob(rt route, body map[string]any, at accessToken, dc string) (job, *apiError) {
	c, err := parseComposite(body, rt.version)
	if err != nil {
		return job{}, err
	}
	c.token, c.dc = at, dc
	j := job{units: compositeUnits, subUnits: 1, cost: 1, class: "composite"}
	if c.rollback {
		j.cost = 2
	}
	j.run = func() jobResult { return s.runComposite(c, j.cost) }
	return j, nil
}

func parseComposite(body map[string]any, version int) (*compositeReq, *apiError) {
	c := &compositeReq{version: version}
	var err *apiError
	if c.rollback, err = optionalBool(body, "rollback_on_fail", false); err != nil {
		return nil, err
	}
	parKey := "parallel_execution"
	if _, ok := body[parKey]; !ok {
		if _, old := body["concurrent_execution"]; old {
			parKey = "concurrent_execution"
		}
	}
	if c.parallel, err = optionalBool(body, parKey, !c.rollback); err != nil {
		return nil, err
	}
	if c.rollback && c.parallel {
		return nil, newError(http.StatusBadRequest, "AMBIGUITY_DURING_PROCESSING",
			"rollback_on_fail and parallel_execution cannot both be true", map[string]any{"ambiguity_due_to": []any{
				map[string]any{"api_name": "rollback_on_fail", "json_path": "$.rollback_on_fail"},
				map[string]any{"api_name": parKey, "json_path": "$." + parKey},
			}})
	}
	raw, err := compositeItems(body)
	if err != nil {
		return nil, err
	}
	for i, v := range raw {
		c.items = append(c.items, parseSubRequest(i, v, version))
	}
	c.checkIDs()
	c.checkRefs()
	return c, nil
}

func optionalBool(body map[string]any, key string, def bool) (bool, *apiError) {
	v, ok := body[key]
	if !ok || v == nil {
		return def, nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, errInvalidKey(key, "$."+key, map[string]any{"expected_data_type": "boolean"})
	}
	return b, nil
}

func compositeItems(body map[string]any) ([]any, *apiError) {
	raw, ok := body[compositeKey]
	if !ok || raw == nil {
		return nil, errMandatoryKey(compositeKey, compositeKeyPath)
	}
	arr, ok := raw.([]any)
	switch {
	case !ok:
		return nil, errInvalidKey(compositeKey, compositeKeyPath, map[string]any{"expected_data_type": "jsonarray"})
	case len(arr) == 0:
		return nil, errMandatoryKey(compositeKey, compositeKeyPath)
	case len(arr) > maxSubRequests:
		return nil, errInvalidKey(compositeKey, compositeKeyPath, map[string]any{"maximum_length": maxSubRequests})
	}
	return arr, nil
}

// parseSubRequest checks one item's keys; problems become the item's error.
func parseSubRequest(i int, v any, version int) *subRequest {
	it := &subRequest{index: i}
	m, ok := v.(map[string]any)
	if !ok {
		it.err = errInvalidKey(compositeKey, it.path(""), map[string]any{"expected_data_type": "jsonobject"})
		return it
	}
	it.err = it.readKeys(m, version)
	return it
}

func (it *subRequest) readKeys(m map[string]any, version int) *apiError {
	if raw, ok := m["sub_request_id"]; ok {
		id, _ := raw.(string)
		if !subIDPattern.MatchString(id) || len(id) > 100 {
			return errInvalidKey("sub_request_id", it.path("sub_request_id"), map[string]any{"regex": subIDPattern.String()})
		}
		it.id = id
	}
	method, _ := m["method"].(string)
	it.method = strings.ToUpper(method)
	if m["method"] == nil {
		return errMandatoryKey("method", it.path("method"))
	}
	if !containsString(subMethods, it.method) {
		return errInvalidKey("method", it.path("method"), nil)
	}
	if err := it.readURI(m["uri"], version); err != nil {
		return err
	}
	var err *apiError
	if it.params, err = optionalObject(m, "params", it.path("params")); err != nil {
		return err
	}
	if it.headers, err = optionalObject(m, "headers", it.path("headers")); err != nil {
		return err
	}
	if it.body, err = optionalObject(m, "body", it.path("body")); err != nil {
		return err
	}
	return it.checkHeaders()
}

func (it *subRequest) readURI(raw any, version int) *apiError {
	uri, _ := raw.(string)
	if raw == nil || uri == "" {
		return errMandatoryKey("uri", it.path("uri"))
	}
	if !strings.HasPrefix(uri, "/") {
		uri = "/" + uri
	}
	if !subURIPattern.MatchString(uri) || len(uri) > 2048 {
		return errInvalidKey("uri", it.path("uri"), map[string]any{"regex": subURIPatternText})
	}
	if m := subVersion.FindStringSubmatch(uri); m != nil {
		if v, _ := strconv.Atoi(m[1]); v > version {
			return newError(http.StatusBadRequest, "NOT_ALLOWED", "the sub-request version is higher than the composite version",
				map[string]any{"api_name": "uri", "json_path": it.path("uri"), "sub_request_version": v, "composite_request_version": version})
		}
	}
	it.uri = uri
	return nil
}

func optionalObject(m map[string]any, key, path string) (map[string]any, *apiError) {
	v, ok := m[key]
	if !ok || v == nil {
		return nil, nil
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		return nil, errInvalidKey(key, path, map[string]any{"expected_data_type": "jsonobject"})
	}
	return obj, nil
}

func (it *subRequest) checkHeaders() *apiError {
	var bad []any
	for k := range it.headers {
		if l := strings.ToLower(k); l == "authorization" || l == "x-crm-org" {
			bad = append(bad, l)
		}
	}
	if len(bad) > 0 {
		return errInvalidKey("headers", it.path("headers"), map[string]any{"restricted_headers": bad})
	}
	return nil
}

// checkIDs gives a repeated sub_request_id DUPLICATE_DATA.
func (c *compositeReq) checkIDs() {
	seen := map[string]bool{}
	for _, it := range c.items {
		if it.err != nil || it.id == "" {
			continue
		}
		if seen[it.id] {
			it.err = newError(http.StatusBadRequest, "DUPLICATE_DATA", "duplicate data",
				map[string]any{"api_name": "sub_request_id", "json_path": it.path("sub_request_id")})
		}
		seen[it.id] = true
	}
}
