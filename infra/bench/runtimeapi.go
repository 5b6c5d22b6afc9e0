package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// runtimeAPI is a minimal Lambda Runtime API on 127.0.0.1 for one
// bootstrap process: each GET .../invocation/next hands out the next event
// and each POST .../response or .../error ends it. It records when each
// request came, so a cold start splits into init (process start until the
// runtime first asks for work) and the first invoke.
type runtimeAPI struct {
	srv    *http.Server
	addr   string
	events chan []byte
	mu     sync.Mutex
	nexts  []time.Time // when each GET next arrived
	served []time.Time // when each event was handed out
	ends   []time.Time // when each answer came
	ended  chan struct{}
}

func startRuntimeAPI() (*runtimeAPI, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &runtimeAPI{addr: l.Addr().String(), events: make(chan []byte, 16), ended: make(chan struct{}, 16)}
	a.srv = &http.Server{Handler: a, ReadHeaderTimeout: 10 * time.Second}
	go a.srv.Serve(l)
	return a, nil
}

func (a *runtimeAPI) close() { a.srv.Close() }

// ServeHTTP answers the runtime's next, response and error requests.
func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/runtime/invocation/next"):
		a.mu.Lock()
		a.nexts = append(a.nexts, now)
		n := len(a.nexts)
		a.mu.Unlock()
		var ev []byte
		select {
		case ev = <-a.events:
		case <-r.Context().Done():
			return
		}
		a.mu.Lock()
		a.served = append(a.served, time.Now())
		a.mu.Unlock()
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", fmt.Sprintf("bench-%d", n))
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:bench")
		w.Write(ev)
	case r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/runtime/invocation/"):
		io.Copy(io.Discard, r.Body)
		a.mu.Lock()
		a.ends = append(a.ends, now)
		a.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		a.ended <- struct{}{}
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/runtime/init/error"):
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
	default:
		http.NotFound(w, r)
	}
}

// invoke hands out one event and waits for its answer.
func (a *runtimeAPI) invoke(ctx context.Context, event []byte, exited <-chan struct{}) error {
	a.events <- event
	select {
	case <-a.ended:
		return nil
	case <-exited:
		return errors.New("the bootstrap exited")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// initDurationRE reads the InitDuration metric shared/app's Main writes.
var initDurationRE = regexp.MustCompile(`"InitDuration":([0-9.]+)`)

// coldStart is one start of a bootstrap: init, first and warm invokes in
// milliseconds, and the InitDuration the function reported itself (0 when
// it reports none).
type coldStart struct {
	init, first, selfInit float64
	warm                  []float64
}

// startOnce runs the bootstrap against a fresh runtime API, invokes it
// 1 + warm times and stops it.
func startOnce(ctx context.Context, bootstrap string, env []string, event []byte, warm int) (coldStart, error) {
	api, err := startRuntimeAPI()
	if err != nil {
		return coldStart{}, err
	}
	defer api.close()
	var out bytes.Buffer
	cmd := exec.Command(bootstrap)
	cmd.Dir = filepath.Dir(bootstrap)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "AWS_LAMBDA_RUNTIME_API=" + api.addr,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST"}, env...)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	exited := make(chan struct{})
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return coldStart{}, err
	}
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}()
	ictx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for i := 0; i <= warm; i++ {
		if err := api.invoke(ictx, event, exited); err != nil {
			return coldStart{}, fmt.Errorf("invoke %d: %w; output: %.500s", i, err, out.String())
		}
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	cs := coldStart{init: ms(api.nexts[0].Sub(start)), first: ms(api.ends[0].Sub(api.served[0]))}
	for i := 1; i <= warm; i++ {
		cs.warm = append(cs.warm, ms(api.ends[i].Sub(api.served[i])))
	}
	if m := initDurationRE.FindSubmatch(out.Bytes()); m != nil {
		cs.selfInit, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	return cs, nil
}
