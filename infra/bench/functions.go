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
	"time"

	"github.com/zohosync/zohosync/infra/bench/report"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
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

// coldPayloads are events whose handling is the same on every invoke, so
// that first invoke minus a warm one is the init.
var coldPayloads = map[string]string{
	"ingest": `{"version":"2.0","routeKey":"POST /hooks/{source}","rawPath":"/hooks/unknown",` +
		`"pathParameters":{"source":"unknown"},"requestContext":{"http":{"method":"POST","path":"/hooks/unknown"}},"body":"{}"}`,
	"sync":    `{"Records":[]}`,
	"refresh": "events/refresh-schedule.json",
	"admin":   "events/admin-status.json",
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

// coldInits times each function's cold start under the RIE: a host-arch
// build (same flags, without stripping) run against the emulators.
func (b *bench) coldInits(ctx context.Context, env []string, trials int) (map[string]report.Function, error) {
	rie := b.opt.rie
	if !filepath.IsAbs(rie) {
		rie = filepath.Join(b.root, rie)
	}
	out := map[string]report.Function{}
	for _, fn := range append(slices.Clone(functionNames), "echo") {
		dir := filepath.Join(b.tmp, "host", fn)
		pkg := "./functions/" + fn
		if fn == "echo" {
			pkg = echoPkg
		}
		if err := b.goBuild(ctx, []string{"CGO_ENABLED=0"}, filepath.Join(dir, "bootstrap"), pkg,
			"-tags", "lambda.norpc", "-trimpath"); err != nil {
			return nil, err
		}
		if err := copyFile(filepath.Join(b.root, "config", "zohosync.yaml"), filepath.Join(dir, "zohosync.yaml")); err != nil {
			return nil, err
		}
		payload, err := b.payload(fn)
		if err != nil {
			return nil, err
		}
		f, err := coldInit(ctx, lambdaemu.RIEConfig{RIE: rie, Bootstrap: filepath.Join(dir, "bootstrap"),
			Name: "zohosync-" + fn, Timeout: time.Minute, Env: env}, payload, trials)
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

// coldInit starts the function under the RIE trials times; each time the
// first invoke includes the process start and the function's init, and
// the median of five warm invokes does not.
func coldInit(ctx context.Context, cfg lambdaemu.RIEConfig, payload []byte, trials int) (report.Function, error) {
	var inits, colds, warms []float64
	for range trials {
		r, err := lambdaemu.StartRIE(ctx, cfg)
		if err != nil {
			return report.Function{}, err
		}
		cold, warm, err := invokeTimes(ctx, r, payload, 5)
		r.Stop()
		if err != nil {
			return report.Function{}, err
		}
		w := median(warm)
		colds, warms = append(colds, cold), append(warms, w)
		inits = append(inits, cold-w)
	}
	return report.Function{InitMs: median(inits), Trials: inits, ColdMs: median(colds), WarmMs: median(warms)}, nil
}

// invokeTimes times a first invoke and n more, in milliseconds. A handler
// error still is a completed invoke; any other failure stops.
func invokeTimes(ctx context.Context, r *lambdaemu.RIE, payload []byte, n int) (float64, []float64, error) {
	var cold float64
	var warm []float64
	for i := 0; i <= n; i++ {
		t := time.Now()
		if _, err := r.Invoke(ctx, payload); err != nil && !isFunctionError(err) {
			return 0, nil, err
		}
		if i == 0 {
			cold = ms(time.Since(t))
		} else {
			warm = append(warm, ms(time.Since(t)))
		}
	}
	return cold, warm, nil
}
