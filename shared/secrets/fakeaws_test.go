package secrets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// testCreds are the fake AWS's only accepted credentials.
var testCreds = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "test-secret-key", SessionToken: "test-session-token"}

// answer is one reply of the fake AWS: a status and JSON body, or a
// dropped connection.
type answer struct {
	status int
	body   string
	header map[string]string
	hangup bool
}

// awsCall is one request the fake AWS accepted.
type awsCall struct {
	target  string
	body    map[string]any
	service string
	region  string
}

// fakeAWS is a 127.0.0.1 server that checks requests like SSM and Secrets
// Manager would (method, path, content type, target, JSON body, a valid
// SigV4 signature over them) and replies with answers in order, the last
// one repeating.
type fakeAWS struct {
	t       *testing.T
	srv     *httptest.Server
	region  string
	mu      sync.Mutex
	answers []answer
	calls   []awsCall
}

func newFakeAWS(t *testing.T, region string, answers ...answer) *fakeAWS {
	t.Helper()
	f := &fakeAWS{t: t, region: region, answers: answers}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// client returns an AWSClient aimed at the fake through the endpoint
// override variables, with retries that do not wait.
func (f *fakeAWS) client() *AWSClient {
	env := map[string]string{"AWS_ENDPOINT_URL_SSM": f.srv.URL, "AWS_ENDPOINT_URL_SECRETS_MANAGER": f.srv.URL + "/"}
	cfg := aws.Config{
		Region:      f.region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return testCreds, nil }),
		HTTPClient:  f.srv.Client(),
	}
	return NewAWSClient(cfg, AWSOptions{LookupEnv: envMap(env), Backoff: func(int) time.Duration { return 0 }})
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	call, problem := f.check(r, body)
	if problem != "" {
		f.t.Errorf("fake AWS: %s", problem)
		http.Error(w, `{"__type":"TestRejected"}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call)
	a := f.answers[min(len(f.calls), len(f.answers))-1]
	f.mu.Unlock()
	if a.hangup {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

// check returns the call, or what is wrong with the request.
func (f *fakeAWS) check(r *http.Request, body []byte) (awsCall, string) {
	var c awsCall
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return c, "request " + r.Method + " " + r.URL.Path + ", want POST /"
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		return c, "Content-Type " + ct
	}
	c.target = r.Header.Get("X-Amz-Target")
	if err := json.Unmarshal(body, &c.body); err != nil {
		return c, "body is not JSON"
	}
	if r.Header.Get("X-Amz-Security-Token") != testCreds.SessionToken {
		return c, "no session token"
	}
	scope, ok := authScope(r.Header.Get("Authorization"))
	if !ok || len(scope) != 5 || scope[0] != testCreds.AccessKeyID || scope[4] != "aws4_request" {
		return c, "Authorization is not SigV4 for the test key"
	}
	c.region, c.service = scope[2], scope[3]
	if !f.signatureValid(r, body, c.service, c.region) {
		return c, "signature does not verify"
	}
	return c, ""
}

// authScope returns the parts of the Credential= scope of a SigV4
// Authorization header: key id, date, region, service, "aws4_request".
func authScope(auth string) ([]string, bool) {
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 Credential=")
	if !ok {
		return nil, false
	}
	cred, _, _ := strings.Cut(rest, ",")
	return strings.Split(cred, "/"), true
}

// signatureValid signs a copy of the request's signed headers and body
// again with the test credentials and compares the Authorization headers.
func (f *fakeAWS) signatureValid(r *http.Request, body []byte, service, region string) bool {
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return false
	}
	auth := r.Header.Get("Authorization")
	_, signed, _ := strings.Cut(auth, "SignedHeaders=")
	signed, _, _ = strings.Cut(signed, ",")
	again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	for _, h := range strings.Split(signed, ";") {
		if h != "host" && h != "content-length" {
			again.Header.Set(h, r.Header.Get(h))
		}
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), testCreds, again, hex.EncodeToString(sum[:]), service, region, when); err != nil {
		return false
	}
	return again.Header.Get("Authorization") == auth
}

func (f *fakeAWS) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fakeAWS) lastCall() awsCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		return awsCall{}
	}
	return f.calls[len(f.calls)-1]
}
