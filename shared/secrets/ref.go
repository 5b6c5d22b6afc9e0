package secrets

import (
	"fmt"
	"regexp"
	"strings"
)

// Kind is where a secret lives.
type Kind string

// The supported reference kinds; each is also the reference's prefix.
const (
	Env            Kind = "env"
	SSM            Kind = "ssm"
	SecretsManager Kind = "secretsmanager"
)

// Ref is a parsed secret reference.
type Ref struct {
	Kind Kind
	// Name is the variable name, the parameter name or ARN, or the secret
	// name or ARN.
	Name string
	// Key picks one field of a JSON secret (Secrets Manager only).
	Key string
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseRef parses "env:NAME", "ssm:/path", "secretsmanager:name" or
// "secretsmanager:name#key". A bare value is refused, so that no secret is
// written into the config file itself.
func ParseRef(s string) (Ref, error) {
	kind, name, ok := strings.Cut(s, ":")
	if !ok {
		return Ref{}, fmt.Errorf("%w: want env:NAME, ssm:/path or secretsmanager:name", ErrBadRef)
	}
	r := Ref{Kind: Kind(kind), Name: name}
	switch r.Kind {
	case Env:
		if !envNameRE.MatchString(name) {
			return Ref{}, fmt.Errorf("%w: env: %q is not a variable name", ErrBadRef, name)
		}
	case SSM:
		if name == "" || strings.ContainsAny(name, " \t\r\n") {
			return Ref{}, fmt.Errorf("%w: ssm: parameter name is empty or has spaces", ErrBadRef)
		}
	case SecretsManager:
		if i := strings.LastIndexByte(name, '#'); i >= 0 {
			r.Name, r.Key = name[:i], name[i+1:]
			if r.Key == "" {
				return Ref{}, fmt.Errorf("%w: secretsmanager: empty key after #", ErrBadRef)
			}
		}
		if r.Name == "" || strings.ContainsAny(r.Name, " \t\r\n") {
			return Ref{}, fmt.Errorf("%w: secretsmanager: secret name is empty or has spaces", ErrBadRef)
		}
	default:
		return Ref{}, fmt.Errorf("%w: unknown kind %q (use env, ssm or secretsmanager)", ErrBadRef, kind)
	}
	return r, nil
}

// String writes the reference back in its config form.
func (r Ref) String() string {
	s := string(r.Kind) + ":" + r.Name
	if r.Key != "" {
		s += "#" + r.Key
	}
	return s
}

// source names what is fetched: every key of one JSON secret shares it.
func (r Ref) source() string { return string(r.Kind) + ":" + r.Name }
