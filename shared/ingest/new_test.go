package ingest

import (
	"context"
	"strings"
	"testing"

	"github.com/zohosync/zohosync/shared/config"
)

func TestNewErrors(t *testing.T) {
	full := Deps{Claims: newFakeClaims(), Queue: &fakeQueue{}, IDs: &fakeIDs{}, Secrets: testSecrets}
	cases := []struct {
		name string
		cfg  func(*config.Config)
		deps func(*Deps)
		want string
	}{
		{"no claims", nil, func(d *Deps) { d.Claims = nil }, "required"},
		{"no secrets resolver", nil, func(d *Deps) { d.Secrets = nil }, "required"},
		{"negative lease", nil, func(d *Deps) { d.Lease = -1 }, "negative"},
		{"secret not found", func(c *config.Config) { c.Sources["stripe"].Verify.Secrets = []string{"env:NOPE"} }, nil,
			"source stripe: resolve secrets: secret env:NOPE: not found"},
		{"bad verify", func(c *config.Config) { c.Sources["stripe"].Verify.Scheme = "github" }, nil,
			"source stripe: webhook: invalid verify config"},
		{"bad content type", func(c *config.Config) { c.Sources["plain"].ContentTypes = []string{"text"} }, nil,
			`source plain: content_types: "text" is not a media type`},
		{"no org", func(c *config.Config) { c.Sources["plain"].Org = "" }, nil, "source plain: no org"},
		{"nil source", func(c *config.Config) { c.Sources["plain"] = nil }, nil, "source plain: empty source"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, d := testConfig(), full
			if c.cfg != nil {
				c.cfg(cfg)
			}
			if c.deps != nil {
				c.deps(&d)
			}
			_, err := New(context.Background(), cfg, d)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("New = %v, want an error containing %q", err, c.want)
			}
			for _, v := range testSecrets {
				if strings.Contains(err.Error(), v) {
					t.Errorf("error %q leaks a secret", err)
				}
			}
		})
	}
	cfg := testConfig()
	cfg.Sources["stripe"].Verify.Secrets = []string{"env:NOPE"}
	cfg.Sources["typeform"].Verify.Secrets = []string{"env:NOPE_TOO"}
	_, err := New(context.Background(), cfg, full)
	if err == nil || !strings.Contains(err.Error(), "source stripe") || !strings.Contains(err.Error(), "source typeform") {
		t.Errorf("New = %v, want both failing sources named", err)
	}
	if _, err := New(context.Background(), nil, full); err == nil {
		t.Error("New(nil config) succeeded")
	}
}

func TestSourceAllows(t *testing.T) {
	s := &source{types: []string{"text/plain", "application/*"}}
	anyType := &source{types: []string{"*/*"}}
	cases := []struct {
		s    *source
		mt   string
		want bool
	}{
		{s, "text/plain", true}, {s, "application/xml", true}, {s, "text/csv", false}, {s, "", false},
		{anyType, "", true}, {anyType, "image/png", true}, {&source{}, "text/plain", false},
	}
	for _, c := range cases {
		if got := c.s.allows(c.mt); got != c.want {
			t.Errorf("%v allows(%q) = %v, want %v", c.s.types, c.mt, got, c.want)
		}
	}
}
