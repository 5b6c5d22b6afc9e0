package deploy

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
)

// StringLiterals returns every string literal of the non-test Go files under
// the given folders (missing folders are skipped), mapped to the first file
// that holds it.
func StringLiterals(dirs ...string) (map[string]string, error) {
	found := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if path == dir && errorsIsNotExist(err) {
					return filepath.SkipDir
				}
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			return collectLiterals(fset, path, found)
		})
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", dir, err)
		}
	}
	return found, nil
}

func collectLiterals(fset *token.FileSet, path string, found map[string]string) error {
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		if s, err := strconv.Unquote(lit.Value); err == nil {
			if _, seen := found[s]; !seen {
				found[s] = path
			}
		}
		return true
	})
	return nil
}

func errorsIsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
