package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// validator collects the problems of one parsed config.
type validator struct {
	cfg  *Config
	errs []*FieldError
}

func (v *validator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{Line: v.cfg.pos.line(path), Path: path, Msg: fmt.Sprintf(format, args...)})
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// validate checks everything Parse can check without the environment.
func validate(cfg *Config) []*FieldError {
	v := &validator{cfg: cfg}
	if cfg.Version != Version {
		v.fail("version", "version %d is not supported (want %d)", cfg.Version, Version)
	}
	if len(cfg.Orgs) == 0 {
		v.fail("orgs", "at least one org is required")
	}
	for _, name := range sortedKeys(cfg.Orgs) {
		v.org(name, cfg.Orgs[name])
	}
	if len(cfg.Sources) == 0 {
		v.fail("sources", "at least one source is required")
	}
	for _, name := range sortedKeys(cfg.Picklists) {
		if len(cfg.Picklists[name]) == 0 {
			v.fail(keyPath("picklists", name), "picklist is empty")
		}
	}
	for _, name := range sortedKeys(cfg.Sources) {
		v.source(name, cfg.Sources[name])
	}
	return v.errs
}

// org checks the fields an org has written; missing ones are ApplyDefaults'
// business.
func (v *validator) org(name string, o *Org) {
	path := keyPath("orgs", name)
	if o == nil {
		v.fail(path, "org is empty")
		return
	}
	o.Name = name
	if !nameRE.MatchString(name) {
		v.fail(path, "org name %q: use lower-case letters, digits, - and _", name)
	}
	v.orgValues(path, o)
	v.secretRef(keyPath(path, "client_id"), o.ClientID, true)
	v.secretRef(keyPath(path, "client_secret"), o.ClientSecret, true)
	if o.AccountsURL != "" {
		if err := checkAccountsURL(o.AccountsURL); err != nil {
			v.fail(keyPath(path, "accounts_url"), "%v", err)
		}
	}
}

// orgValues checks the values ApplyDefaults may also supply.
func (v *validator) orgValues(path string, o *Org) {
	for _, p := range orgProblems(o) {
		v.fail(keyPath(path, p.field), "%s", p.msg)
	}
}

type orgProblem struct{ field, msg string }

// orgProblems lists bad values among an org's set fields (zero = unset).
func orgProblems(o *Org) []orgProblem {
	var out []orgProblem
	if o.DataCenter != "" && !slices.Contains(DataCenters, o.DataCenter) {
		out = append(out, orgProblem{"data_center", fmt.Sprintf("%q is not one of %s", o.DataCenter, strings.Join(DataCenters, ", "))})
	}
	limit, known := EditionConcurrency[o.Edition]
	if o.Edition != "" && !known {
		out = append(out, orgProblem{"edition", fmt.Sprintf("%q is not one of free, standard, professional, enterprise, ultimate", o.Edition)})
	}
	if o.Users < 0 {
		out = append(out, orgProblem{"users", fmt.Sprintf("%d users: must not be negative", o.Users)})
	}
	if o.AddOnCredits < 0 {
		out = append(out, orgProblem{"add_on_credits", fmt.Sprintf("%d: must not be negative", o.AddOnCredits)})
	}
	if o.CreditShare < 0 || o.CreditShare > 1 {
		out = append(out, orgProblem{"credit_share", fmt.Sprintf("%g is outside (0, 1]", o.CreditShare)})
	}
	if o.ConcurrencyShare < 0 {
		out = append(out, orgProblem{"concurrency_share", fmt.Sprintf("%d: must not be negative", o.ConcurrencyShare)})
	}
	if known && o.ConcurrencyShare > limit {
		out = append(out, orgProblem{"concurrency_share", fmt.Sprintf("%d exceeds the %s edition's %d concurrent calls", o.ConcurrencyShare, o.Edition, limit)})
	}
	return out
}

// checkAccountsURL accepts https URLs, and plain http only on loopback
// (a local simulator).
func checkAccountsURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", s)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		h := u.Hostname()
		if h == "127.0.0.1" || h == "localhost" || h == "::1" {
			return nil
		}
		return fmt.Errorf("%q: plain http is allowed only on loopback", s)
	}
	return fmt.Errorf("%q: want an https URL", s)
}

// secretRef checks a secret reference; an empty one is reported when
// required is set.
func (v *validator) secretRef(path, ref string, required bool) {
	if ref == "" {
		if required {
			v.fail(path, "a secret reference is required")
		}
		return
	}
	if _, err := ParseSecretRef(ref); err != nil {
		v.fail(path, "%v", err)
	}
}
