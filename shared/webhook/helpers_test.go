package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"github.com/zohosync/zohosync/infra/local/emu"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/zohosync/zohosync/shared/config"
)

// repoRoot is the repository root (the folder with go.mod).
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// samples is one sender's deliveries.json.
type samples struct {
	Secret     string     `json:"signing_secret"`
	Deliveries []delivery `json:"deliveries"`
	dir        string
}

type delivery struct {
	Name     string            `json:"name"`
	BodyFile string            `json:"body_file"`
	Receive  int64             `json:"receive_unix"`
	Headers  map[string]string `json:"headers"`
	Expected string            `json:"expected_outcome"`
}

func mustSamples(t testing.TB, sender string) *samples {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "testdata", "webhooks", sender)
	b, err := os.ReadFile(filepath.Join(dir, "deliveries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s samples
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s/deliveries.json: %v", sender, err)
	}
	s.dir = dir
	return &s
}

func (s *samples) body(t testing.TB, d delivery) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, d.BodyFile))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustNew(t testing.TB, v config.Verify, secrets ...string) Verifier {
	t.Helper()
	v.Secrets = make([]string, len(secrets))
	for i := range secrets {
		v.Secrets[i] = "env:SECRET_" + strconv.Itoa(i)
	}
	vf, err := New(v, secrets)
	if err != nil {
		t.Fatalf("New(%+v): %v", v, err)
	}
	return vf
}

// hmacSHA256 is the test side's own signer, independent of macKey.
func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func hexSig(key, msg string) string { return hex.EncodeToString(hmacSHA256([]byte(key), msg)) }

func b64Sig(key, msg string) string {
	return base64.StdEncoding.EncodeToString(hmacSHA256([]byte(key), msg))
}

func unix(s int64) time.Time { return time.Unix(s, 0) }

func codeOf(err error) Code {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return ""
}
