package ingest

import (
	"context"
	"fmt"
	"mime"
	"strings"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/webhook"
)

// source is one configured sender, ready to verify deliveries.
type source struct {
	name     string
	org      string
	verifier webhook.Verifier
	maxBody  int
	// types are the extra accepted media types, lower-case; "*/*" is any
	// and "type/*" any subtype.
	types []string
	// secretHeaders carry signatures or secrets: never stored.
	secretHeaders map[string]bool
}

func newSource(ctx context.Context, name string, sc *config.Source, r SecretResolver) (*source, error) {
	if sc == nil {
		return nil, fmt.Errorf("empty source")
	}
	if sc.Org == "" {
		return nil, fmt.Errorf("no org")
	}
	var values []string
	if len(sc.Verify.Secrets) > 0 {
		var err error
		if values, err = r.ResolveAll(ctx, sc.Verify.Secrets); err != nil {
			return nil, fmt.Errorf("resolve secrets: %w", err)
		}
	}
	v, err := webhook.New(sc.Verify, values)
	if err != nil {
		return nil, err
	}
	types, err := mediaTypes(sc.ContentTypes)
	if err != nil {
		return nil, err
	}
	s := &source{
		name: name, org: sc.Org, verifier: v, maxBody: sc.BodyLimit(), types: types,
		secretHeaders: map[string]bool{},
	}
	for _, hd := range v.SecretHeaders() {
		s.secretHeaders[hd] = true
	}
	return s, nil
}

// mediaTypes checks and lower-cases the configured extra content types.
func mediaTypes(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, t := range in {
		mt, params, err := mime.ParseMediaType(t)
		if err != nil || len(params) > 0 || !strings.Contains(mt, "/") {
			return nil, fmt.Errorf("content_types: %q is not a media type such as text/plain", t)
		}
		out = append(out, mt)
	}
	return out, nil
}

// allows reports whether media type mt (lower-case) is one of the extra
// types; "" (no Content-Type) only matches "*/*".
func (s *source) allows(mt string) bool {
	for _, t := range s.types {
		switch {
		case t == "*/*", t == mt && mt != "":
			return true
		case strings.HasSuffix(t, "/*") && mt != "" && strings.HasPrefix(mt, t[:len(t)-1]):
			return true
		}
	}
	return false
}
