package lambdaemu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// RIEConfig describes a bootstrap to run under the runtime interface
// emulator.
type RIEConfig struct {
	// RIE is the aws-lambda-rie binary (make deps installs it in .bin).
	RIE string
	// Bootstrap is the function binary, built for this machine's
	// architecture. It runs in its own folder, where a bundled config sits.
	Bootstrap string
	// Name is the function name (AWS_LAMBDA_FUNCTION_NAME).
	Name    string
	Timeout time.Duration
	// Env is added to a minimal environment (PATH, HOME, region and the
	// Lambda variables); the RIE passes it all to the bootstrap.
	Env []string
	// Log receives the emulator's and the function's output (default: discard).
	Log io.Writer
}

// RIE is a bootstrap running under aws-lambda-rie on 127.0.0.1. Invoke
// serialises calls: the emulator crashes on a second concurrent invoke.
type RIE struct {
	cfg  RIEConfig
	url  string
	cmd  *exec.Cmd
	done chan struct{}

	mu sync.Mutex // one invoke at a time
	// Started is when the process was launched.
	Started time.Time
}

// StartRIE launches the emulator with the bootstrap and waits until it
// listens.
func StartRIE(ctx context.Context, cfg RIEConfig) (*RIE, error) {
	if _, err := os.Stat(cfg.RIE); err != nil {
		return nil, fmt.Errorf("runtime interface emulator not found at %s (run `make deps`): %w", cfg.RIE, err)
	}
	boot, err := filepath.Abs(cfg.Bootstrap)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(boot); err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	port, apiPort, err := twoPorts()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(cfg.RIE,
		"--runtime-interface-emulator-address", "127.0.0.1:"+strconv.Itoa(port),
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(apiPort),
		"--log-level", "error", boot)
	cmd.Dir = filepath.Dir(boot)
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"AWS_REGION=" + Region, "AWS_DEFAULT_REGION=" + Region,
		"AWS_LAMBDA_FUNCTION_NAME=" + cfg.Name,
		"AWS_LAMBDA_FUNCTION_TIMEOUT=" + strconv.Itoa(int(cfg.Timeout.Seconds())),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
	}, cfg.Env...)
	out := cfg.Log
	if out == nil {
		out = io.Discard
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	r := &RIE{cfg: cfg, url: fmt.Sprintf("http://127.0.0.1:%d/2015-03-31/functions/function/invocations", port),
		cmd: cmd, done: make(chan struct{}), Started: time.Now()}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start aws-lambda-rie: %w", err)
	}
	go func() { cmd.Wait(); close(r.done) }()
	if err := r.waitListening(ctx, port); err != nil {
		r.Stop()
		return nil, err
	}
	return r, nil
}

func (r *RIE) waitListening(ctx context.Context, port int) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 100*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-r.done:
			return errors.New("aws-lambda-rie exited at start")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return errors.New("aws-lambda-rie did not listen within 10 s")
}

func twoPorts() (int, int, error) {
	var ports [2]int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, 0, fmt.Errorf("find a free port: %w", err)
		}
		ls = append(ls, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports[0], ports[1], nil
}

// Invoke posts payload to the emulator and interprets its answer the way
// the Lambda API would: an error payload, a panic (HTTP 502) or a timeout
// becomes a *FunctionError.
func (r *RIE) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.done:
		return nil, errors.New("aws-lambda-rie is not running")
	default:
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout+10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoke through aws-lambda-rie: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 7<<20))
	if err != nil {
		return nil, fmt.Errorf("read invoke response: %w", err)
	}
	return interpret(resp.StatusCode, body)
}

func interpret(status int, body []byte) ([]byte, error) {
	if strings.HasPrefix(string(body), "Task timed out") {
		return nil, &FunctionError{Type: "Sandbox.Timedout", Message: strings.TrimSpace(string(body))}
	}
	var fe struct {
		Type    *string `json:"errorType"`
		Message *string `json:"errorMessage"`
	}
	isErr := json.Unmarshal(body, &fe) == nil && fe.Type != nil && fe.Message != nil
	switch {
	case status == http.StatusBadGateway && isErr:
		return nil, &FunctionError{Type: *fe.Type, Message: *fe.Message, Panic: true}
	case status != http.StatusOK:
		return nil, fmt.Errorf("aws-lambda-rie answered %d: %.200s", status, body)
	case isErr:
		return nil, &FunctionError{Type: *fe.Type, Message: *fe.Message}
	}
	return body, nil
}

// Stop ends the emulator and the bootstrap (their process group) and waits
// for them. It is safe to call more than once.
func (r *RIE) Stop() {
	if r.cmd.Process == nil {
		return
	}
	syscall.Kill(-r.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(3 * time.Second):
		syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		<-r.done
	}
}

// Pid returns the emulator's process id.
func (r *RIE) Pid() int { return r.cmd.Process.Pid }
