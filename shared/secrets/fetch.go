package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// The AWS client satisfies the resolver's interfaces.
var (
	_ SSMClient            = (*AWSClient)(nil)
	_ SecretsManagerClient = (*AWSClient)(nil)
)

func (r *Resolver) getParameter(ctx context.Context, name string) (string, error) {
	if r.opts.SSM == nil {
		return "", fmt.Errorf("ssm: %w", ErrNoClient)
	}
	v, err := r.opts.SSM.GetParameter(ctx, name, true)
	if err != nil {
		return "", fmt.Errorf("ssm get parameter: %w", err)
	}
	return v, nil
}

func (r *Resolver) getSecret(ctx context.Context, id string) (string, error) {
	if r.opts.SecretsManager == nil {
		return "", fmt.Errorf("secretsmanager: %w", ErrNoClient)
	}
	v, err := r.opts.SecretsManager.GetSecretValue(ctx, id)
	if err != nil {
		return "", fmt.Errorf("secretsmanager get secret value: %w", err)
	}
	return v, nil
}

// jsonField returns the string field key of a JSON object. Its errors never
// quote the secret: decoder messages can show characters of the input.
func jsonField(raw, key string) (string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil || m == nil {
		return "", ErrNotJSON
	}
	field, ok := m[key]
	if !ok {
		return "", fmt.Errorf("field %q: %w", key, ErrNoKey)
	}
	var s string
	dec := json.NewDecoder(bytes.NewReader(field))
	if err := dec.Decode(&s); err != nil {
		return "", fmt.Errorf("field %q: %w", key, ErrNoKey)
	}
	return s, nil
}
