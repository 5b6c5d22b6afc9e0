package webhook

import "strings"

// Header holds a delivery's headers with lower-case names, as API Gateway
// HTTP APIs and Lambda Function URLs deliver them (repeated headers joined
// with commas).
type Header map[string]string

// NewHeader copies m with lower-case names. When two names differ only in
// case, the last one in m's iteration order wins; senders do not do that.
func NewHeader(m map[string]string) Header {
	h := make(Header, len(m))
	for k, v := range m {
		h[strings.ToLower(k)] = v
	}
	return h
}

// Get returns the value of the named header (any case), or "".
func (h Header) Get(name string) string {
	if v, ok := h[name]; ok {
		return v
	}
	return h[strings.ToLower(name)]
}
