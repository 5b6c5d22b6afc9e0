package gen

import (
	"fmt"
	"time"

	"github.com/zohosync/zohosync/infra/local/samples"
)

// Deliver signs p with its sender's sample secret at now, as the sender
// signs each attempt. It is safe for concurrent use.
func (g *Generator) Deliver(p *Payload, now time.Time) (Delivery, error) {
	secret, ok := g.secrets[p.Source]
	if !ok {
		return Delivery{}, fmt.Errorf("gen: no signing secret for %q", p.Source)
	}
	name, value, err := samples.Sign(p.Source, secret, p.Body, now)
	if err != nil {
		return Delivery{}, fmt.Errorf("gen: %w", err)
	}
	h := make(map[string]string, len(p.Headers)+1)
	for k, v := range p.Headers {
		h[k] = v
	}
	h[name] = value
	return Delivery{Source: p.Source, Headers: h, Body: p.Body}, nil
}
