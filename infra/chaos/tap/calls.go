package tap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// call is one API call and the records it carried, in request order: the
// batch's data[] or, for a composite, one record per sub-request.
type call struct {
	composite bool
	keys      []string // "" for a record without a key
}

var (
	apiPath = regexp.MustCompile(`^/crm/v[0-9]+(?:\.[0-9]+)?/(.+)$`)
	subURI  = regexp.MustCompile(`^/crm/v[0-9]+(?:\.[0-9]+)?/([^/?]+)`)
)

// parseCall reads an API call's records; nil means not an API call.
func (t *Tap) parseCall(method, path string, body []byte) *call {
	m := apiPath.FindStringSubmatch(path)
	if m == nil {
		return nil
	}
	rest := strings.Split(m[1], "/")
	c := &call{}
	if rest[0] == "__composite_requests" {
		c.composite = true
		var req struct {
			Subs []struct {
				URI  string `json:"uri"`
				Body struct {
					Data []map[string]any `json:"data"`
				} `json:"body"`
			} `json:"__composite_requests"`
		}
		if decodeJSON(body, &req) == nil {
			for _, s := range req.Subs {
				key := ""
				if sm := subURI.FindStringSubmatch(s.URI); sm != nil && len(s.Body.Data) > 0 {
					key = t.keyOf(sm[1], s.Body.Data[0])
				}
				c.keys = append(c.keys, key)
			}
		}
		return c
	}
	if method != "POST" && method != "PUT" {
		return c
	}
	var req struct {
		Data []map[string]any `json:"data"`
	}
	if decodeJSON(body, &req) == nil {
		for _, rec := range req.Data {
			c.keys = append(c.keys, t.keyOf(rest[0], rec))
		}
	}
	return c
}

func (t *Tap) keyOf(module string, rec map[string]any) string {
	if t.key == nil {
		return ""
	}
	k, _ := t.key(module, rec)
	return k
}

// answered records an answered API call: each record's code from the
// answer, or the request-level code for all of them.
func (t *Tap) answered(x *call, status int, answer []byte) {
	if x == nil {
		return
	}
	var codes []string
	if x.composite {
		codes = compositeCodes(answer)
	} else {
		codes = batchCodes(answer)
	}
	top := requestCode(status, answer)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stats.ByStatus[status]++
	t.stats.Records += len(x.keys)
	t.noteCodesLocked(x, func(i int) string {
		if len(codes) == len(x.keys) && codes[i] != "" {
			return codes[i]
		}
		return top
	})
}

// noteCodesLocked counts the call and one code per keyed record.
func (t *Tap) noteCodesLocked(x *call, code func(i int) string) {
	if x == nil {
		return
	}
	t.stats.Calls++
	for i, k := range x.keys {
		if k == "" {
			continue
		}
		m := t.codes[k]
		if m == nil {
			m = map[string]int{}
			t.codes[k] = m
		}
		m[code(i)]++
	}
}

// batchCodes returns data[i].code of a write's answer.
func batchCodes(answer []byte) []string {
	var resp struct {
		Data []struct {
			Code string `json:"code"`
		} `json:"data"`
	}
	if decodeJSON(answer, &resp) != nil {
		return nil
	}
	out := make([]string, len(resp.Data))
	for i, d := range resp.Data {
		out[i] = d.Code
	}
	return out
}

// compositeCodes returns, per sub-request, the inner record's code, else
// the inner body's code, else the item's own code (ROLLBACK_PERFORMED,
// PROCESSING_STOPPED ...).
func compositeCodes(answer []byte) []string {
	var resp struct {
		Items []struct {
			Code    string `json:"code"`
			Details struct {
				Response struct {
					Body struct {
						Code string `json:"code"`
						Data []struct {
							Code string `json:"code"`
						} `json:"data"`
					} `json:"body"`
				} `json:"response"`
			} `json:"details"`
		} `json:"__composite_requests"`
	}
	if decodeJSON(answer, &resp) != nil {
		return nil
	}
	out := make([]string, len(resp.Items))
	for i, it := range resp.Items {
		b := it.Details.Response.Body
		switch {
		case len(b.Data) > 0 && b.Data[0].Code != "":
			out[i] = b.Data[0].Code
		case b.Code != "":
			out[i] = b.Code
		default:
			out[i] = it.Code
		}
	}
	return out
}

// requestCode is a request-level answer's code, or HTTP_<status> when the
// body names none (as zohosync names such failures).
func requestCode(status int, answer []byte) string {
	var top struct {
		Code string `json:"code"`
	}
	if decodeJSON(answer, &top) == nil && top.Code != "" {
		return top.Code
	}
	return fmt.Sprintf("HTTP_%d", status)
}

func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}
