package scan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReader(t *testing.T) {
	secret := "1000.0123456789abcdef.fedcba9876543210"
	cases := []struct {
		name    string
		text    string
		secrets []string
		want    []int64 // offsets found
	}{
		{"clean log", `{"level":"INFO","msg":"record synced","record_id":"9000000000001"}`, []string{secret}, nil},
		{"token in a line", `{"msg":"refresh","token":"` + secret + `"}`, []string{secret}, []int64{26}},
		{"twice", secret + " " + secret, []string{secret}, []int64{0, int64(len(secret) + 1)}},
		{"header shaped, value unknown", `"auth":"Zoho-oauthtoken 1000.0a1b2c3d4e5f6a7b8c"`, nil, []int64{8}},
		{"header shaped, cut short", `"auth":"Zoho-oauthtoken 1000.zz"`, nil, nil},
		{"scheme name alone is not a header", `send the Zoho-oauthtoken scheme`, nil, nil},
		{"short values are not scanned", "password=abc", []string{"abc"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, n, err := Reader("log", strings.NewReader(c.text), c.secrets)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(c.text)) {
				t.Errorf("read %d bytes, want %d", n, len(c.text))
			}
			if len(got) != len(c.want) {
				t.Fatalf("findings %v, want offsets %v", got, c.want)
			}
			for i, f := range got {
				if f.Offset != c.want[i] {
					t.Errorf("finding %d at %d, want %d", i, f.Offset, c.want[i])
				}
				if strings.Contains(f.Label, secret) || strings.Contains(f.String(), secret) {
					t.Errorf("finding %q reveals the secret", f)
				}
			}
		})
	}
}

// TestSecretAcrossChunks puts a secret across every chunk boundary
// position near the first boundary, once each.
func TestSecretAcrossChunks(t *testing.T) {
	secret := "refresh-token-0123456789-abcdefghij"
	for _, at := range []int{chunk - len(secret), chunk - 20, chunk - 1, chunk, chunk + 5, 2*chunk - 7} {
		text := strings.Repeat("x", at) + secret + strings.Repeat("y", 3*chunk-at)
		got, _, err := Reader("big", strings.NewReader(text), []string{secret})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Offset != int64(at) {
			t.Errorf("secret at %d: findings %v, want exactly one at %d", at, got, at)
		}
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.log")
	leak := filepath.Join(dir, "leak.log")
	os.WriteFile(clean, []byte("nothing to see\n"), 0o600)
	os.WriteFile(leak, []byte("client_secret=local-client-secret-value\n"), 0o600)
	res, err := Files([]string{clean, leak}, []string{"local-client-secret-value", "local-client-secret-value", "x"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 2 || res.Secrets != 1 || res.Bytes != 15+40 {
		t.Errorf("files %d, secrets %d, bytes %d; want 2, 1, 55", res.Files, res.Secrets, res.Bytes)
	}
	if len(res.Findings) != 1 || res.Findings[0].File != leak || res.Findings[0].Offset != 14 {
		t.Errorf("findings %v, want one in leak.log at 14", res.Findings)
	}
	if _, err := Files([]string{filepath.Join(dir, "missing.log")}, nil); err == nil {
		t.Error("missing file: no error")
	}
}
