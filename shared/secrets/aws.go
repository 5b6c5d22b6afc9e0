package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// The SDK clients satisfy the resolver's interfaces.
var (
	_ SSMClient            = (*ssm.Client)(nil)
	_ SecretsManagerClient = (*secretsmanager.Client)(nil)
)

func (r *Resolver) getParameter(ctx context.Context, name string) (string, error) {
	if r.opts.SSM == nil {
		return "", fmt.Errorf("ssm: %w", ErrNoClient)
	}
	out, err := r.opts.SSM.GetParameter(ctx, &ssm.GetParameterInput{
		Name:           aws.String(name),
		WithDecryption: aws.Bool(true),
	})
	if err != nil {
		var nf *ssmtypes.ParameterNotFound
		if errors.As(err, &nf) {
			return "", fmt.Errorf("ssm get parameter: %w", ErrNotFound)
		}
		return "", fmt.Errorf("ssm get parameter: %w", err)
	}
	if out == nil || out.Parameter == nil || out.Parameter.Value == nil {
		return "", fmt.Errorf("ssm get parameter: %w", ErrEmpty)
	}
	return *out.Parameter.Value, nil
}

func (r *Resolver) getSecret(ctx context.Context, id string) (string, error) {
	if r.opts.SecretsManager == nil {
		return "", fmt.Errorf("secretsmanager: %w", ErrNoClient)
	}
	out, err := r.opts.SecretsManager.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
		SecretId: aws.String(id),
	})
	if err != nil {
		var nf *smtypes.ResourceNotFoundException
		if errors.As(err, &nf) {
			return "", fmt.Errorf("secretsmanager get secret value: %w", ErrNotFound)
		}
		return "", fmt.Errorf("secretsmanager get secret value: %w", err)
	}
	switch {
	case out == nil:
		return "", fmt.Errorf("secretsmanager get secret value: %w", ErrEmpty)
	case out.SecretString != nil:
		return *out.SecretString, nil
	case out.SecretBinary != nil:
		return string(out.SecretBinary), nil
	}
	return "", fmt.Errorf("secretsmanager get secret value: %w", ErrEmpty)
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
