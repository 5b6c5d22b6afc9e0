package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var apiURL = regexp.MustCompile(`api=(http://127\.0\.0\.1:[0-9]+)`)

func TestRunServesSeededClient(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-dc", "eu", "-edition", "free",
			"-client-id", "local", "-client-secret", "s", "-refresh-token", "1000.local.refresh", "-latency", "fixed:1ms"}, out)
	}()
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := apiURL.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed: %q", out.String())
		}
	}
	resp, err := http.PostForm(base+"/oauth/v2/token", url.Values{"grant_type": {"refresh_token"},
		"client_id": {"local"}, "client_secret": {"s"}, "refresh_token": {"1000.local.refresh"}})
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(body.String(), `"access_token"`) || !strings.Contains(body.String(), base) {
		t.Errorf("token response = %s", body.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	cases := [][]string{
		{"-listen", "0.0.0.0:9090"},
		{"-latency", "gauss:1s"},
		{"-client-id", "x"},
		{"-dc", "mars"},
		{"extra"},
	}
	for _, args := range cases {
		if err := run(context.Background(), args, &syncBuffer{}); err == nil {
			t.Errorf("run(%v) succeeded", args)
		}
	}
}

func TestParseLatency(t *testing.T) {
	cases := map[string]bool{"fixed:50ms": true, "uniform:10ms-90ms": true, "lognormal:80ms,900ms": true,
		"none": true, "fixed": false, "uniform:10ms": false, "lognormal:x,1s": false}
	for in, ok := range cases {
		if _, err := parseLatency(in); (err == nil) != ok {
			t.Errorf("parseLatency(%q) err = %v, want ok=%v", in, err, ok)
		}
	}
}
