package config

import (
	"fmt"

	"github.com/jmespath-community/go-jmespath/pkg/parsing"
)

// expr checks that an expression parses.
func (v *validator) expr(path, src string) {
	if err := parseExpr(src); err != nil {
		v.fail(path, "%v", err)
	}
}

// parseExpr parses src as JMESPath, turning a parser panic into an error.
func parseExpr(src string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("expression %q does not parse", src)
		}
	}()
	if _, err := parsing.NewParser().Parse(src); err != nil {
		return fmt.Errorf("expression %q: %w", src, err)
	}
	return nil
}
