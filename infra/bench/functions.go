package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/zohosync/zohosync/infra/bench/report"
)

// functionNames are the deployed functions, in report order.
var functionNames = []string{"ingest", "sync", "refresh", "admin"}

// echoPkg is the minimal Go Lambda function the init times are compared with.
const echoPkg = "./infra/local/lambdaemu/testdata/echo"

// lambdaBuild is the Makefile's LAMBDA_ENV and LAMBDA_FLAGS: Graviton,
// static, no RPC shim, reproducible, stripped.
var (
	lambdaEnv   = []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"}
	lambdaFlags = []string{"-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w"}
)

// coldPayloads are the events of the cold starts: the same on every
// invoke, and calling no AWS service where the function allows.
var coldPayloads = map[string]string{
	"ingest": `{"version":"2.0","routeKey":"POST /hooks/{source}","rawPath":"/hooks/unknown",` +
		`"pathParameters":{"source":"unknown"},"requestContext":{"http":{"method":"POST","path":"/hooks/unknown"}},"body":"{}"}`,
	"sync":    `{"Records":[]}`,
	"refresh": "events/refresh-schedule.json",
	"admin":   `{"action":"unknown"}`,
	"echo":    `{"value":1}`,
}

// goBuild runs go build in the repository.
func (b *bench) goBuild(ctx context.Context, env []string, out, pkg string, flags ...string) error {
	args := append(append([]string{"build"}, flags...), "-o", out, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Env = b.root, append(os.Environ(), env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, msg)
	}
	return nil
}

// sizes measures each linux/arm64 bootstrap and its deployment zip (the
// bootstrap and the bundled config, deflated).
func (b *bench) sizes(ctx context.Context) (map[string]report.Function, error) {
	out := map[string]report.Function{}
	for _, fn := range append(slices.Clone(functionNames), "echo") {
		path := filepath.Join(b.opt.bootstraps, fn, "bootstrap")
		if b.opt.bootstraps == "" || fn == "echo" {
			path = filepath.Join(b.tmp, "arm64", fn, "bootstrap")
			pkg := "./functions/" + fn
			if fn == "echo" {
				pkg = echoPkg
			}
			if err := b.goBuild(ctx, lambdaEnv, path, pkg, lambdaFlags...); err != nil {
				return nil, err
			}
		}
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		z, err := zipSize(path, filepath.Join(b.root, "config", "zohosync.yaml"))
		if err != nil {
			return nil, err
		}
		out[fn] = report.Function{Name: fn, Bytes: st.Size(), ZipBytes: z}
	}
	return out, nil
}

// zipSize is the size of a deflated zip holding the files.
func zipSize(files ...string) (int64, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.Base(f), Method: zip.Deflate})
		if err != nil {
			return 0, err
		}
		in, err := os.Open(f)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(w, in)
		in.Close()
		if err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int64(buf.Len()), nil
}

// coldInits times each function's cold start: a host-architecture build
// (the Makefile's flags without stripping) started against a minimal
// Runtime API, pointed at the emulators.
func (b *bench) coldInits(ctx context.Context, env []string, trials int) (map[string]report.Function, error) {
	out := map[string]report.Function{}
	for _, fn := range append(slices.Clone(functionNames), "echo") {
		dir := filepath.Join(b.tmp, "host", fn)
		pkg := "./functions/" + fn
		if fn == "echo" {
			pkg = echoPkg
		}
		boot := filepath.Join(dir, "bootstrap")
		if err := b.goBuild(ctx, []string{"CGO_ENABLED=0"}, boot, pkg, "-tags", "lambda.norpc", "-trimpath"); err != nil {
			return nil, err
		}
		if err := copyFile(filepath.Join(b.root, "config", "zohosync.yaml"), filepath.Join(dir, "zohosync.yaml")); err != nil {
			return nil, err
		}
		payload, err := b.payload(fn)
		if err != nil {
			return nil, err
		}
		f, err := coldInit(ctx, boot, append(env, "AWS_LAMBDA_FUNCTION_NAME=zohosync-"+fn), payload, trials)
		if err != nil {
			return nil, fmt.Errorf("cold init of %s: %w", fn, err)
		}
		f.Name = fn
		out[fn] = f
	}
	return out, nil
}

func (b *bench) payload(fn string) ([]byte, error) {
	p := coldPayloads[fn]
	if strings.HasPrefix(p, "{") {
		return []byte(p), nil
	}
	return os.ReadFile(filepath.Join(b.root, p))
}

// coldInit starts the bootstrap trials times and keeps the medians.
func coldInit(ctx context.Context, boot string, env []string, payload []byte, trials int) (report.Function, error) {
	var inits, firsts, warms, selfs []float64
	for range trials {
		cs, err := startOnce(ctx, boot, env, payload, 5)
		if err != nil {
			return report.Function{}, err
		}
		inits, firsts = append(inits, cs.init), append(firsts, cs.first)
		warms, selfs = append(warms, median(cs.warm)), append(selfs, cs.selfInit)
	}
	return report.Function{InitMs: median(inits), Trials: inits, ColdMs: median(firsts), WarmMs: median(warms),
		SelfInitMs: median(selfs)}, nil
}
