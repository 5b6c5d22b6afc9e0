package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// MinLen is the shortest value scanned for: shorter strings would match
// ordinary text by chance.
const MinLen = 8

// headerScheme starts an Authorization header value for Zoho; followed by
// at least headerToken token characters it is reported whatever the token.
var headerScheme = []byte("Zoho-oauthtoken ")

const headerToken = 16

// chunk is how much is read at a time.
const chunk = 1 << 20

// Finding is one occurrence of a secret.
type Finding struct {
	File   string
	Offset int64
	// Label names the secret without revealing it.
	Label string
}

// String locates the finding and names the secret by its label only.
func (f Finding) String() string { return fmt.Sprintf("%s at byte %d: %s", f.File, f.Offset, f.Label) }

// Result is what a scan covered and found.
type Result struct {
	Files    int
	Bytes    int64
	Secrets  int // values scanned for (MinLen or longer, distinct)
	Findings []Finding
}

// Files scans each file for the secrets.
func Files(paths []string, secrets []string) (Result, error) {
	s := newScanner(secrets)
	res := Result{Secrets: len(s.secrets)}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return res, fmt.Errorf("scan: %w", err)
		}
		found, n, err := s.reader(p, f)
		f.Close()
		res.Files++
		res.Bytes += n
		res.Findings = append(res.Findings, found...)
		if err != nil {
			return res, fmt.Errorf("scan %s: %w", p, err)
		}
	}
	return res, nil
}

// Reader scans one stream, named name in findings.
func Reader(name string, r io.Reader, secrets []string) ([]Finding, int64, error) {
	return newScanner(secrets).reader(name, r)
}

type scanner struct {
	secrets [][]byte
	longest int
}

func newScanner(secrets []string) *scanner {
	s := &scanner{longest: len(headerScheme) + headerToken}
	seen := map[string]bool{}
	for _, v := range secrets {
		if len(v) < MinLen || seen[v] {
			continue
		}
		seen[v] = true
		s.secrets = append(s.secrets, []byte(v))
		s.longest = max(s.longest, len(v))
	}
	return s
}

// reader reads r in chunks, keeping the last longest-1 bytes of the
// previous chunk in front of the next so a secret split between chunks is
// found; a match is reported once, in the round where it ends.
func (s *scanner) reader(name string, r io.Reader) ([]Finding, int64, error) {
	var out []Finding
	var tail []byte
	var base, total int64 // base: file offset of buf[0]
	buf := make([]byte, 0, chunk+s.longest)
	part := make([]byte, chunk)
	for {
		n, err := io.ReadFull(r, part)
		total += int64(n)
		buf = append(append(buf[:0], tail...), part[:n]...)
		out = append(out, s.match(name, buf, len(tail), base)...)
		keep := min(len(buf), s.longest-1)
		tail = append(tail[:0], buf[len(buf)-keep:]...)
		base += int64(len(buf) - keep)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return out, total, nil
		}
		if err != nil {
			return out, total, err
		}
	}
}

// match finds the secrets in buf that end after its first old bytes.
func (s *scanner) match(name string, buf []byte, old int, base int64) []Finding {
	var out []Finding
	for _, sec := range s.secrets {
		for i := 0; ; {
			j := bytes.Index(buf[i:], sec)
			if j < 0 {
				break
			}
			at := i + j
			if at+len(sec) > old {
				out = append(out, Finding{File: name, Offset: base + int64(at), Label: Redact(string(sec))})
			}
			i = at + 1
		}
	}
	for i := 0; ; {
		j := bytes.Index(buf[i:], headerScheme)
		if j < 0 {
			break
		}
		at := i + j
		end := at + len(headerScheme) + headerToken
		if end <= len(buf) && end > old && allToken(buf[end-headerToken:end]) {
			out = append(out, Finding{File: name, Offset: base + int64(at), Label: "an Authorization header value (Zoho-oauthtoken …)"})
		}
		i = at + 1
	}
	return out
}

func allToken(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Redact labels a secret by its first three characters and its length.
func Redact(s string) string {
	if len(s) <= 3 {
		return fmt.Sprintf("a %d-character secret", len(s))
	}
	return fmt.Sprintf("a %d-character secret starting %q", len(s), s[:3])
}
