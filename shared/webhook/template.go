package webhook

import (
	"fmt"
	"strings"
)

type partKind uint8

const (
	litPart partKind = iota
	timestampPart
	bodyPart
)

// part is one piece of a signed-string template.
type part struct {
	kind partKind
	lit  []byte
}

// maxParts bounds a compiled template: each placeholder appears at most
// once, so there are at most three literals around two placeholders.
const maxParts = 5

// compileTemplate parses a signed-string template such as
// "{timestamp}.{body}". {body} must appear exactly once; {timestamp} must
// appear exactly once when withTimestamp, else never. Other text is literal.
func compileTemplate(t string, withTimestamp bool) ([]part, error) {
	var parts []part
	seen := map[partKind]bool{}
	rest := t
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			parts = append(parts, part{kind: litPart, lit: []byte(rest)})
			break
		}
		if open > 0 {
			parts = append(parts, part{kind: litPart, lit: []byte(rest[:open])})
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("signed_template has an unclosed '{'")
		}
		kind, err := placeholder(rest[open+1 : open+end])
		if err != nil {
			return nil, err
		}
		if seen[kind] {
			return nil, fmt.Errorf("signed_template repeats a placeholder")
		}
		seen[kind] = true
		parts = append(parts, part{kind: kind})
		rest = rest[open+end+1:]
	}
	switch {
	case !seen[bodyPart]:
		return nil, fmt.Errorf("signed_template must contain {body}")
	case withTimestamp && !seen[timestampPart]:
		return nil, fmt.Errorf("signed_template must contain {timestamp} when timestamp_header is set")
	case !withTimestamp && seen[timestampPart]:
		return nil, fmt.Errorf("signed_template uses {timestamp} but timestamp_header is not set")
	}
	return parts, nil
}

func placeholder(name string) (partKind, error) {
	switch name {
	case "body":
		return bodyPart, nil
	case "timestamp":
		return timestampPart, nil
	}
	return 0, fmt.Errorf("signed_template has unknown placeholder {%s} (use {timestamp} and {body})", name)
}
