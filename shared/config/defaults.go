package config

import (
	"fmt"
	"strconv"
)

// Environment variables ApplyDefaults reads for org fields a file omits.
const (
	EnvDataCenter       = "ZOHOSYNC_DEFAULT_DATA_CENTER"
	EnvEdition          = "ZOHOSYNC_DEFAULT_EDITION"
	EnvUsers            = "ZOHOSYNC_DEFAULT_USERS"
	EnvCreditShare      = "ZOHOSYNC_DEFAULT_CREDIT_SHARE"
	EnvConcurrencyShare = "ZOHOSYNC_DEFAULT_CONCURRENCY_SHARE"
)

// ApplyDefaults fills org fields the file left unset from env (pass
// os.Getenv, or a map lookup in tests) and then checks that every org is
// complete. Values written in the file always win. Call it once after Load
// or Parse, before the orgs are used.
func (c *Config) ApplyDefaults(env func(string) string) error {
	var errs []*FieldError
	for _, name := range sortedKeys(c.Orgs) {
		errs = append(errs, c.defaultOrg(name, c.Orgs[name], env)...)
	}
	if len(errs) > 0 {
		return finish(c.File, errs)
	}
	return nil
}

func (c *Config) defaultOrg(name string, o *Org, env func(string) string) []*FieldError {
	path := keyPath("orgs", name)
	var errs []*FieldError
	fail := func(field, format string, args ...any) {
		p := keyPath(path, field)
		errs = append(errs, &FieldError{Line: c.pos.line(p), Path: p, Msg: fmt.Sprintf(format, args...)})
	}
	fill := func(field, key string, unset bool, set func(string) error) {
		if !unset {
			return
		}
		raw := env(key)
		if raw == "" {
			fail(field, "not set in the file and %s is empty", key)
			return
		}
		if err := set(raw); err != nil {
			fail(field, "%s=%q: %v", key, raw, err)
		}
	}
	fill("data_center", EnvDataCenter, o.DataCenter == "", func(s string) error { o.DataCenter = s; return nil })
	fill("edition", EnvEdition, o.Edition == "", func(s string) error { o.Edition = s; return nil })
	fill("users", EnvUsers, o.Users == 0, func(s string) (err error) { o.Users, err = strconv.Atoi(s); return err })
	fill("credit_share", EnvCreditShare, o.CreditShare == 0, func(s string) (err error) {
		o.CreditShare, err = strconv.ParseFloat(s, 64)
		return err
	})
	fill("concurrency_share", EnvConcurrencyShare, o.ConcurrencyShare == 0, func(s string) (err error) {
		o.ConcurrencyShare, err = strconv.Atoi(s)
		return err
	})
	for _, p := range orgProblems(o) {
		fail(p.field, "%s", p.msg)
	}
	return dedupe(errs)
}

// dedupe drops repeated messages for one path (a bad env value is also a
// bad org value).
func dedupe(errs []*FieldError) []*FieldError {
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		if seen[e.Path] {
			continue
		}
		seen[e.Path] = true
		out = append(out, e)
	}
	return out
}
