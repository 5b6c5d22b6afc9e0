package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// doc is a decoded JSON body being edited. Numbers stay json.Number, so
// ids above 2^53 survive the round trip.
type doc struct {
	root any
	err  error
}

func decode(b []byte) (*doc, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode template: %w", err)
	}
	return &doc{root: v}, nil
}

// set assigns v at a dotted path ("data.object.email", "answers.2.email");
// every step but the last must exist. The first failure sticks.
func (d *doc) set(path string, v any) {
	if d.err != nil {
		return
	}
	steps := strings.Split(path, ".")
	cur := d.root
	for i, s := range steps {
		last := i == len(steps)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[s] = v
				return
			}
			cur = c[s]
		case []any:
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n >= len(c) {
				d.err = fmt.Errorf("path %s: no element %s", path, s)
				return
			}
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		default:
			d.err = fmt.Errorf("path %s: %q is not an object or array", path, strings.Join(steps[:i], "."))
			return
		}
	}
}

// bytes encodes the edited document.
func (d *doc) bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d.root); err != nil {
		return nil, fmt.Errorf("encode body: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// num is a JSON integer.
func num(n int64) json.Number { return json.Number(strconv.FormatInt(n, 10)) }
