package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The value every answer below hides; no error may contain it.
const secretValue = "whsec_do_not_leak_42"

// Bodies as the SSM and Secrets Manager API references describe them.
const (
	parameterOK = `{"Parameter":{"ARN":"arn:aws:ssm:eu-west-1:123456789012:parameter/zohosync/stripe",` +
		`"DataType":"text","LastModifiedDate":1.735732800E9,"Name":"/zohosync/stripe","Type":"SecureString",` +
		`"Value":"` + secretValue + `","Version":3}}`
	secretStringOK = `{"ARN":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:zohosync/hooks-AbCdEf",` +
		`"CreatedDate":1.735732800E9,"Name":"zohosync/hooks","SecretString":"` + secretValue + `",` +
		`"VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE","VersionStages":["AWSCURRENT"]}`
	secretBinaryOK = `{"Name":"zohosync/bin","SecretBinary":"d2hzZWNfZG9fbm90X2xlYWtfNDI=","VersionStages":["AWSCURRENT"]}`
	throttled      = `{"__type":"ThrottlingException","message":"Rate exceeded"}`
)

func TestAWSClientGetParameter(t *testing.T) {
	f := newFakeAWS(t, "eu-west-1", answer{status: 200, body: parameterOK})
	got, err := f.client().GetParameter(context.Background(), "/zohosync/stripe", true)
	if err != nil || got != secretValue {
		t.Fatalf("GetParameter = %q, %v; want the value", got, err)
	}
	want := awsCall{
		target:  "AmazonSSM.GetParameter",
		body:    map[string]any{"Name": "/zohosync/stripe", "WithDecryption": true},
		service: "ssm", region: "eu-west-1",
	}
	if c := f.lastCall(); !reflect.DeepEqual(c, want) {
		t.Errorf("request = %+v, want %+v", c, want)
	}
}

func TestAWSClientGetSecretValue(t *testing.T) {
	tests := []struct {
		name, body string
		want       string
		wantErr    error
	}{
		{"string", secretStringOK, secretValue, nil},
		{"binary", secretBinaryOK, secretValue, nil},
		{"neither", `{"Name":"zohosync/hooks","VersionStages":["AWSCURRENT"]}`, "", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAWS(t, "us-gov-west-1", answer{status: 200, body: tt.body})
			got, err := f.client().GetSecretValue(context.Background(), "zohosync/hooks")
			if got != tt.want || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("GetSecretValue = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
			want := awsCall{
				target:  "secretsmanager.GetSecretValue",
				body:    map[string]any{"SecretId": "zohosync/hooks"},
				service: "secretsmanager", region: "us-gov-west-1",
			}
			if c := f.lastCall(); !reflect.DeepEqual(c, want) {
				t.Errorf("request = %+v, want %+v", c, want)
			}
		})
	}
}

func TestAWSClientErrors(t *testing.T) {
	big := `{"SecretString":"` + strings.Repeat("x", maxResponse) + `"}`
	tests := []struct {
		name      string
		answers   []answer
		wantIs    error
		wantCode  string
		wantCalls int
	}{
		{"parameter not found", []answer{{status: 400, body: `{"__type":"ParameterNotFound","message":"Parameter /zohosync/stripe not found."}`}},
			ErrNotFound, "ParameterNotFound", 1},
		{"secret not found, namespaced", []answer{{status: 400, body: `{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`}},
			ErrNotFound, "ResourceNotFoundException", 1},
		{"access denied", []answer{{status: 400, body: `{"__type":"AccessDeniedException","message":"User is not authorized to perform: ssm:GetParameter"}`}},
			ErrAccessDenied, "AccessDeniedException", 1},
		{"bad signature", []answer{{status: 403, body: `{"__type":"InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/","message":"Signature expired"}`}},
			ErrAccessDenied, "InvalidSignatureException", 1},
		{"code in header only", []answer{{status: 400, body: `{}`, header: map[string]string{"X-Amzn-ErrorType": "ParameterNotFound:http://internal"}}},
			ErrNotFound, "ParameterNotFound", 1},
		{"throttled to the end", []answer{{status: 400, body: throttled}},
			ErrThrottled, "ThrottlingException", 4},
		{"too many requests", []answer{{status: 429, body: ``}},
			ErrThrottled, "HTTP429", 4},
		{"server error to the end", []answer{{status: 500, body: `{"__type":"InternalServerError"}`}},
			nil, "InternalServerError", 4},
		{"unavailable, no body", []answer{{status: 503}},
			nil, "HTTP503", 4},
		{"validation is not retried", []answer{{status: 400, body: `{"__type":"ValidationException","message":"1 validation error detected"}`}},
			nil, "ValidationException", 1},
		{"body over the cap", []answer{{status: 200, body: big}}, ErrBadResponse, "", 1},
		{"body not JSON", []answer{{status: 200, body: `{"SecretString":"` + secretValue + `"`}}, ErrBadResponse, "", 1},
		{"hang-ups to the end", []answer{{hangup: true}}, nil, "", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAWS(t, "eu-west-1", tt.answers...)
			_, err := f.client().GetSecretValue(context.Background(), "zohosync/hooks")
			if err == nil {
				t.Fatal("GetSecretValue succeeded, want an error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v, want it to match %v", err, tt.wantIs)
			}
			var api *APIError
			if gotCode := ""; errors.As(err, &api) {
				gotCode = api.Code
				if gotCode != tt.wantCode {
					t.Errorf("Code = %q, want %q", gotCode, tt.wantCode)
				}
			} else if tt.wantCode != "" {
				t.Errorf("error %v is not an *APIError", err)
			}
			if got := f.callCount(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if strings.Contains(err.Error(), secretValue) || !strings.HasPrefix(err.Error(), "secretsmanager GetSecretValue: ") {
				t.Errorf("error text %q leaks the value or lacks the operation", err)
			}
		})
	}
}

func TestAWSClientRetriesThenSucceeds(t *testing.T) {
	tests := []struct {
		name  string
		first answer
	}{
		{"throttling", answer{status: 400, body: throttled}},
		{"server error", answer{status: 500, body: `{"__type":"InternalFailure"}`}},
		{"hang-up", answer{hangup: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAWS(t, "eu-west-1", tt.first, tt.first, answer{status: 200, body: parameterOK})
			got, err := f.client().GetParameter(context.Background(), "/zohosync/stripe", true)
			if err != nil || got != secretValue {
				t.Fatalf("GetParameter = %q, %v; want the value on the third try", got, err)
			}
			if n := f.callCount(); n != 3 {
				t.Errorf("calls = %d, want 3", n)
			}
		})
	}
}

func TestAWSClientAPIErrorFields(t *testing.T) {
	msg := "Parameter /zohosync/x not found.\n" + strings.Repeat("m", 2*maxMessage)
	f := newFakeAWS(t, "eu-west-1", answer{status: 400, body: `{"__type":"ParameterNotFound","message":` + quote(msg) + `}`,
		header: map[string]string{"X-Amzn-RequestId": "req-123"}})
	_, err := f.client().GetParameter(context.Background(), "/zohosync/x", true)
	var api *APIError
	if !errors.As(err, &api) {
		t.Fatalf("error %v is not an *APIError", err)
	}
	if api.Service != "ssm" || api.Status != 400 || api.RequestID != "req-123" || len(api.Message) > maxMessage ||
		strings.ContainsAny(api.Message, "\n") || !strings.HasPrefix(api.Message, "Parameter /zohosync/x not found. ") {
		t.Errorf("APIError = %+v", api)
	}
	if want := "ssm GetParameter: ssm ParameterNotFound (HTTP 400, request req-123): Parameter"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Error() = %q, want prefix %q", err, want)
	}
}

func TestAWSClientStopsWhenContextEnds(t *testing.T) {
	f := newFakeAWS(t, "eu-west-1", answer{status: 400, body: throttled})
	c := f.client()
	c.opts.Backoff = func(int) time.Duration { return time.Hour }
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GetParameter(ctx, "/zohosync/stripe", true)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrThrottled) {
		t.Errorf("GetParameter = %v, want the throttling and the deadline", err)
	}
	if n := f.callCount(); n != 1 {
		t.Errorf("calls = %d, want 1", n)
	}
}

func TestAWSClientConfigErrors(t *testing.T) {
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return testCreds, nil })
	failing := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no EC2 IMDS role found")
	})
	tests := []struct {
		name    string
		cfg     aws.Config
		env     map[string]string
		wantErr error
	}{
		{"no region", aws.Config{Credentials: creds}, nil, ErrAWSConfig},
		{"odd region", aws.Config{Region: "eu-west-1.example.com", Credentials: creds}, nil, ErrAWSConfig},
		{"no credentials", aws.Config{Region: "eu-west-1"}, map[string]string{"AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:9"}, ErrAWSConfig},
		{"bad override", aws.Config{Region: "eu-west-1", Credentials: creds}, map[string]string{"AWS_ENDPOINT_URL_SSM": "ftp://127.0.0.1"}, ErrAWSConfig},
		{"credentials fail", aws.Config{Region: "eu-west-1", Credentials: failing}, map[string]string{"AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:9"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewAWSClient(tt.cfg, AWSOptions{LookupEnv: envMap(tt.env)})
			_, err := c.GetParameter(context.Background(), "/x", true)
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("GetParameter = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestResolverOverAWSClient(t *testing.T) {
	f := newFakeAWS(t, "eu-west-1", answer{status: 200, body: `{"SecretString":"{\"stripe\":\"` + secretValue + `\"}"}`})
	c := f.client()
	r := NewResolver(Options{SSM: c, SecretsManager: c})
	got, err := r.Resolve(context.Background(), "secretsmanager:zohosync/hooks#stripe")
	if err != nil || got != secretValue {
		t.Fatalf("Resolve = %q, %v", got, err)
	}
	f2 := newFakeAWS(t, "eu-west-1", answer{status: 400, body: `{"__type":"ParameterNotFound"}`})
	c2 := f2.client()
	_, err = NewResolver(Options{SSM: c2}).Resolve(context.Background(), "ssm:/zohosync/missing")
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Resolve = %v, want ErrNotFound", err)
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
