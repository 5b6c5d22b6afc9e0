package config

import (
	"regexp"
	"slices"
	"strings"
)

var (
	headerRE    = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
	mediaTypeRE = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*|\*)/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*|\*)$`)
)

// contentTypes checks the extra media types a source accepts.
func (v *validator) contentTypes(path string, types []string) {
	for i, t := range types {
		if !mediaTypeRE.MatchString(t) {
			v.fail(indexPath(path, i), "%q is not a media type such as text/plain or */*", t)
		}
	}
}

func (v *validator) source(name string, s *Source) {
	path := keyPath("sources", name)
	if s == nil {
		v.fail(path, "source is empty")
		return
	}
	s.Name = name
	if !nameRE.MatchString(name) {
		v.fail(path, "source name %q: use lower-case letters, digits, - and _ (it is a URL path segment)", name)
	}
	switch {
	case s.Org == "":
		v.fail(keyPath(path, "org"), "org is required")
	case v.cfg.Orgs[s.Org] == nil:
		v.fail(keyPath(path, "org"), "org %q is not defined under orgs", s.Org)
	}
	if s.MaxBody < 0 {
		v.fail(keyPath(path, "max_body"), "%d: must not be negative", s.MaxBody)
	}
	v.contentTypes(keyPath(path, "content_types"), s.ContentTypes)
	v.verify(keyPath(path, "verify"), &s.Verify)
	v.eventID(keyPath(path, "event_id"), &s.EventID)
	v.routes(path, s)
}

func (v *validator) verify(path string, vf *Verify) {
	sp := keyPath(path, "scheme")
	switch {
	case vf.Scheme == "":
		v.fail(sp, "scheme is required (write none to accept unsigned deliveries)")
		return
	case !slices.Contains(Schemes, vf.Scheme):
		v.fail(sp, "%q is not one of %s", vf.Scheme, strings.Join(Schemes, ", "))
		return
	}
	if vf.Scheme == "none" {
		if len(vf.Secrets) > 0 {
			v.fail(keyPath(path, "secrets"), "scheme none takes no secrets")
		}
	} else if len(vf.Secrets) == 0 {
		v.fail(keyPath(path, "secrets"), "scheme %s needs at least one secret reference", vf.Scheme)
	}
	for i, ref := range vf.Secrets {
		v.secretRef(indexPath(keyPath(path, "secrets"), i), ref, true)
	}
	if vf.Tolerance < 0 {
		v.fail(keyPath(path, "tolerance"), "must not be negative")
	}
	if vf.Tolerance != 0 && !timedSchemes[vf.Scheme] {
		v.fail(keyPath(path, "tolerance"), "scheme %s signs no timestamp, so a tolerance has no effect", vf.Scheme)
	}
	v.genericVerify(path, vf)
}

// genericVerify checks the settings only hmac and shared_secret use.
func (v *validator) genericVerify(path string, vf *Verify) {
	generic := vf.Scheme == "hmac" || vf.Scheme == "shared_secret"
	set := map[string]string{
		"header": vf.Header, "algorithm": vf.Algorithm, "encoding": vf.Encoding,
		"prefix": vf.Prefix, "timestamp_header": vf.TimestampHeader, "signed_template": vf.SignedTemplate,
	}
	if !generic {
		for _, k := range sortedKeys(set) {
			if set[k] != "" {
				v.fail(keyPath(path, k), "only the hmac and shared_secret schemes use %s", k)
			}
		}
		return
	}
	if vf.Header == "" {
		v.fail(keyPath(path, "header"), "scheme %s needs the header that carries the signature", vf.Scheme)
	} else if !headerRE.MatchString(vf.Header) {
		v.fail(keyPath(path, "header"), "%q is not a header name", vf.Header)
	}
	if vf.Scheme == "shared_secret" {
		for _, k := range []string{"algorithm", "encoding", "timestamp_header", "signed_template"} {
			if set[k] != "" {
				v.fail(keyPath(path, k), "scheme shared_secret compares the header with the secret; %s does not apply", k)
			}
		}
		return
	}
	v.hmacSettings(path, vf)
}

func (v *validator) hmacSettings(path string, vf *Verify) {
	if vf.Algorithm != "" && !slices.Contains([]string{"sha256", "sha1", "sha512"}, vf.Algorithm) {
		v.fail(keyPath(path, "algorithm"), "%q is not sha256, sha1 or sha512", vf.Algorithm)
	}
	if vf.Encoding != "" && vf.Encoding != "hex" && vf.Encoding != "base64" {
		v.fail(keyPath(path, "encoding"), "%q is not hex or base64", vf.Encoding)
	}
	if vf.TimestampHeader != "" && !headerRE.MatchString(vf.TimestampHeader) {
		v.fail(keyPath(path, "timestamp_header"), "%q is not a header name", vf.TimestampHeader)
	}
	tpl := vf.SignedTemplate
	if tpl != "" && !strings.Contains(tpl, "{body}") {
		v.fail(keyPath(path, "signed_template"), "%q must contain {body}", tpl)
	}
	if strings.Contains(tpl, "{timestamp}") && vf.TimestampHeader == "" {
		v.fail(keyPath(path, "signed_template"), "uses {timestamp} but timestamp_header is not set")
	}
	if vf.Tolerance != 0 && vf.TimestampHeader == "" {
		v.fail(keyPath(path, "tolerance"), "needs timestamp_header: without a signed timestamp there is nothing to bound")
	}
}

func (v *validator) eventID(path string, e *EventID) {
	if e.Header != "" && e.Expr != "" {
		v.fail(path, "set header or expr, not both")
	}
	if e.Header != "" {
		if !headerRE.MatchString(e.Header) {
			v.fail(keyPath(path, "header"), "%q is not a header name", e.Header)
		}
	}
	if e.Expr != "" {
		v.expr(keyPath(path, "expr"), e.Expr)
	}
}
