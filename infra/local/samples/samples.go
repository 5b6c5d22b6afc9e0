package samples

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Sources are the senders with samples, in the order the runner posts them.
var Sources = []string{"stripe", "shopify", "typeform", "calendly"}

// Set is one sender's deliveries.json.
type Set struct {
	Source     string
	Secret     string     `json:"signing_secret"`
	Deliveries []Delivery `json:"deliveries"`
}

// Delivery is one signed request: a body file and the headers it was sent
// with.
type Delivery struct {
	Name     string            `json:"name"`
	BodyFile string            `json:"body_file"`
	Headers  map[string]string `json:"headers"`
	Expected string            `json:"expected_outcome"`
	// ReceiveUnix is the time the signature is valid at (timestamped
	// schemes only).
	ReceiveUnix int64 `json:"receive_unix"`
	// Body is the body file's exact bytes.
	Body []byte `json:"-"`
}

// Accepted reports whether the sample is one the front door should accept
// (including a redelivery that is accepted but not enqueued again).
func (d *Delivery) Accepted() bool { return strings.HasPrefix(d.Expected, "accept") }

// Load reads testdata/webhooks/<source>/deliveries.json under root and
// every body file it names.
func Load(root, source string) (*Set, error) {
	dir := filepath.Join(root, "testdata", "webhooks", source)
	b, err := os.ReadFile(filepath.Join(dir, "deliveries.json"))
	if err != nil {
		return nil, fmt.Errorf("read %s samples: %w", source, err)
	}
	s := &Set{Source: source}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("decode %s/deliveries.json: %w", source, err)
	}
	for i := range s.Deliveries {
		d := &s.Deliveries[i]
		if d.Body, err = os.ReadFile(filepath.Join(dir, d.BodyFile)); err != nil {
			return nil, fmt.Errorf("read %s sample body: %w", source, err)
		}
	}
	return s, nil
}

// LoadAll loads every source's samples.
func LoadAll(root string) ([]*Set, error) {
	var sets []*Set
	for _, src := range Sources {
		s, err := Load(root, src)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return sets, nil
}

// HeaderNames returns a delivery's header names, sorted.
func (d *Delivery) HeaderNames() []string {
	names := make([]string, 0, len(d.Headers))
	for k := range d.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
