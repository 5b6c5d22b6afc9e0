package config

import (
	"fmt"
	"regexp"
	"strings"
)

// SecretKind says where a secret reference points.
type SecretKind string

// The places a secret can live.
const (
	SecretEnv            SecretKind = "env"
	SecretSSM            SecretKind = "ssm"
	SecretSecretsManager SecretKind = "secretsmanager"
)

// SecretRef is a parsed secret reference: env:NAME, ssm:/path or
// secretsmanager:name-or-arn. It holds where the secret is, never the
// secret itself.
type SecretRef struct {
	Kind SecretKind
	// Name is the environment variable, the SSM parameter path (starting
	// with /) or the Secrets Manager name or ARN.
	Name string
}

// String returns the reference as written in the config.
func (r SecretRef) String() string { return string(r.Kind) + ":" + r.Name }

var (
	envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	ssmPathRE = regexp.MustCompile(`^(/[A-Za-z0-9_.\-]+)+$`)
	// smNameRE: at most 512 characters, checked apart (a {1,512} repeat
	// costs a millisecond of regexp compilation at every cold start).
	smNameRE = regexp.MustCompile(`^[A-Za-z0-9/_+=.@\-]+$`)
	smKeyRE  = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)
	smARNRE  = regexp.MustCompile(`^arn:aws[a-z\-]*:secretsmanager:[a-z0-9\-]+:\d{12}:secret:[A-Za-z0-9/_+=.@\-]+$`)
)

// ParseSecretRef checks and splits a secret reference.
func ParseSecretRef(s string) (SecretRef, error) {
	kind, name, ok := strings.Cut(s, ":")
	if !ok {
		return SecretRef{}, fmt.Errorf("%q is not a secret reference (env:NAME, ssm:/path or secretsmanager:name)", redact(s))
	}
	ref := SecretRef{Kind: SecretKind(kind), Name: name}
	switch ref.Kind {
	case SecretEnv:
		if !envNameRE.MatchString(name) {
			return SecretRef{}, fmt.Errorf("env:%s: not an environment variable name", name)
		}
	case SecretSSM:
		if len(name) > 2048 || !ssmPathRE.MatchString(name) {
			return SecretRef{}, fmt.Errorf("ssm:%s: want an absolute parameter path like ssm:/zohosync/stripe", name)
		}
	case SecretSecretsManager:
		// An optional #key picks one key of a JSON secret.
		id, key, hasKey := strings.Cut(name, "#")
		if hasKey && !smKeyRE.MatchString(key) {
			return SecretRef{}, fmt.Errorf("secretsmanager:%s: #%s is not a JSON key name", id, key)
		}
		if (len(id) > 512 || !smNameRE.MatchString(id)) && !smARNRE.MatchString(id) {
			return SecretRef{}, fmt.Errorf("secretsmanager:%s: not a secret name or ARN", id)
		}
	default:
		return SecretRef{}, fmt.Errorf("%q is not a secret reference (env:NAME, ssm:/path or secretsmanager:name)", redact(s))
	}
	return ref, nil
}

// redact shows only the start of a value that failed to parse as a
// reference: it may be a secret pasted in by mistake.
func redact(s string) string {
	const keep = 4
	r := []rune(s)
	if len(r) <= keep {
		return strings.Repeat("*", len(r))
	}
	return string(r[:keep]) + "…"
}
