package secrets

import (
	"errors"
	"testing"
)

func TestEndpoint(t *testing.T) {
	base := "http://127.0.0.1:4566"
	tests := []struct {
		name    string
		svc     service
		region  string
		base    *string
		env     map[string]string
		want    string
		wantErr bool
	}{
		{"commercial ssm", ssmService, "eu-west-1", nil, nil, "https://ssm.eu-west-1.amazonaws.com/", false},
		{"commercial secrets manager", smService, "us-east-1", nil, nil, "https://secretsmanager.us-east-1.amazonaws.com/", false},
		{"china", ssmService, "cn-north-1", nil, nil, "https://ssm.cn-north-1.amazonaws.com.cn/", false},
		{"govcloud", smService, "us-gov-west-1", nil, nil, "https://secretsmanager.us-gov-west-1.amazonaws.com/", false},
		{"iso", ssmService, "us-iso-east-1", nil, nil, "https://ssm.us-iso-east-1.c2s.ic.gov/", false},
		{"iso-b", ssmService, "us-isob-east-1", nil, nil, "https://ssm.us-isob-east-1.sc2s.sgov.gov/", false},
		{"european sovereign", ssmService, "eusc-de-east-1", nil, nil, "https://ssm.eusc-de-east-1.amazonaws.eu/", false},
		{"service override", ssmService, "eu-west-1", &base, map[string]string{"AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:9000"},
			"http://127.0.0.1:9000/", false},
		{"other service's override", smService, "eu-west-1", nil, map[string]string{"AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:9000"},
			"https://secretsmanager.eu-west-1.amazonaws.com/", false},
		{"secrets manager override with path", smService, "eu-west-1", nil,
			map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "https://proxy.internal/sm"}, "https://proxy.internal/sm/", false},
		{"base endpoint", smService, "eu-west-1", &base, nil, "http://127.0.0.1:4566/", false},
		{"overrides ignored", ssmService, "eu-west-1", nil,
			map[string]string{"AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:9000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
			"https://ssm.eu-west-1.amazonaws.com/", false},
		{"no region", ssmService, "", nil, nil, "", true},
		{"region with a host in it", ssmService, "eu-west-1.evil.example", nil, nil, "", true},
		{"region with a path", ssmService, "eu-west-1/x", nil, nil, "", true},
		{"override not http", ssmService, "eu-west-1", nil, map[string]string{"AWS_ENDPOINT_URL_SSM": "file:///etc/passwd"}, "", true},
		{"override with user info", ssmService, "eu-west-1", nil, map[string]string{"AWS_ENDPOINT_URL_SSM": "http://u:p@127.0.0.1"}, "", true},
		{"override with query", ssmService, "eu-west-1", nil, map[string]string{"AWS_ENDPOINT_URL_SSM": "http://127.0.0.1/?a=b"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := endpoint(tt.svc, tt.region, tt.base, envMap(tt.env))
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Fatalf("endpoint = %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrAWSConfig) {
				t.Errorf("error %v is not ErrAWSConfig", err)
			}
		})
	}
}
