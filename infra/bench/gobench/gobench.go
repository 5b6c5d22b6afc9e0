package gobench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// Result is one benchmark line.
type Result struct {
	Package string `json:"package"`
	// Name is the benchmark name without the -GOMAXPROCS suffix.
	Name string `json:"name"`
	// Procs is the GOMAXPROCS suffix (0 when absent).
	Procs int `json:"procs"`
	// N is the iteration count.
	N int `json:"n"`
	// Metrics maps a unit (ns/op, B/op, allocs/op, events/s ...) to its value.
	Metrics map[string]float64 `json:"metrics"`
}

// Parse reads `go test -bench` output. Lines other than benchmark results
// (goos, pkg, PASS, ok ...) only set the current package.
func Parse(r io.Reader) ([]Result, error) {
	var out []Result
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		res, ok := parseLine(line)
		if !ok {
			continue
		}
		res.Package = pkg
		out = append(out, res)
	}
	return out, sc.Err()
}

// parseLine reads "BenchmarkX-2  N  v1 unit1  v2 unit2 ...".
func parseLine(line string) (Result, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || len(f)%2 != 0 {
		return Result{}, false
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		return Result{}, false
	}
	res := Result{Name: f[0], N: n, Metrics: map[string]float64{}}
	if i := strings.LastIndexByte(f[0], '-'); i > 0 {
		if p, err := strconv.Atoi(f[0][i+1:]); err == nil {
			res.Name, res.Procs = f[0][:i], p
		}
	}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return Result{}, false
		}
		res.Metrics[f[i+1]] = v
	}
	return res, true
}

// Run runs the benchmarks of pkgs (no tests) with -benchmem in dir, using
// the go command goBin, one package at a time (-p 1, so two benchmark
// binaries never share the cores), and returns the parsed results and the
// raw output.
func Run(ctx context.Context, goBin, dir string, pkgs []string, benchtime string) ([]Result, string, error) {
	args := []string{"test", "-p", "1", "-run", "^$", "-bench", ".", "-benchmem", "-count", "1"}
	if benchtime != "" {
		args = append(args, "-benchtime", benchtime)
	}
	cmd := exec.CommandContext(ctx, goBin, append(args, pkgs...)...)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	res, perr := Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return res, buf.String(), fmt.Errorf("go test -bench: %w", err)
	}
	return res, buf.String(), perr
}
