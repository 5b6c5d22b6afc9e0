package worker

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Spec describes a child to start.
type Spec struct {
	// Command is the program and its arguments: a binary whose main calls
	// Main (the chaos command in worker mode, or a re-executed test binary).
	Command []string
	// Env is the child's whole environment; Spawn adds the settings.
	Env      []string
	Settings Settings
	// Log receives the child's stdout and stderr.
	Log io.Writer
	// OnMessage, when set, sees every control message, in order.
	OnMessage func(Message)
}

// Proc is a running child. Its methods are safe for concurrent use.
type Proc struct {
	cmd   *exec.Cmd
	busy  atomic.Int64
	ready chan struct{}
	done  chan struct{}
	once  sync.Once
	err   error
}

// Spawn starts a child and follows its control pipe.
func Spawn(s Spec) (*Proc, error) {
	if len(s.Command) == 0 {
		return nil, errors.New("worker: no command")
	}
	env, err := s.Settings.Env()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("worker: control pipe: %w", err)
	}
	cmd := exec.Command(s.Command[0], s.Command[1:]...)
	cmd.Env = append(append([]string(nil), s.Env...), env)
	cmd.Stdout, cmd.Stderr = s.Log, s.Log
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("worker: start: %w", err)
	}
	w.Close() // the child holds its own copy
	p := &Proc{cmd: cmd, ready: make(chan struct{}), done: make(chan struct{})}
	follow := make(chan struct{})
	go func() { p.follow(r, s.OnMessage); close(follow) }()
	go func() {
		p.err = cmd.Wait()
		<-follow // the pipe has reached EOF: every message is in
		p.busy.Store(0)
		close(p.done)
	}()
	return p, nil
}

// follow reads control messages until the child's end closes.
func (p *Proc) follow(r io.ReadCloser, on func(Message)) {
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var m Message
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		switch m.Type {
		case TypeReady:
			p.once.Do(func() { close(p.ready) })
		case TypeStart:
			p.busy.Add(1)
		case TypeEnd:
			p.busy.Add(-1)
		}
		if on != nil {
			on(m)
		}
	}
}

// Pid is the child's process id.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Busy is the number of batches the child is invoking right now.
func (p *Proc) Busy() int { return int(p.busy.Load()) }

// Done is closed once the child has exited and its messages are read.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Err is the child's exit error once Done is closed (nil for exit 0).
func (p *Proc) Err() error {
	<-p.done
	return p.err
}

// Ready waits until the child is polling, or fails when it exits first.
func (p *Proc) Ready(ctx context.Context) error {
	select {
	case <-p.ready:
		return nil
	case <-p.done:
		return fmt.Errorf("worker %d exited before it was ready: %v", p.Pid(), p.err)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Kill sends SIGKILL to the child's process id and waits for it to be gone.
func (p *Proc) Kill() error {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("worker: kill %d: %w", p.Pid(), err)
	}
	<-p.done
	return nil
}

// Stop asks the child to finish (SIGTERM: batches in hand are settled) and
// kills it if it has not exited within grace. It returns the exit error of
// a child that did not stop cleanly.
func (p *Proc) Stop(grace time.Duration) error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("worker: stop %d: %w", p.Pid(), err)
	}
	select {
	case <-p.done:
		return p.err
	case <-time.After(grace):
	}
	if err := p.Kill(); err != nil {
		return err
	}
	return fmt.Errorf("worker %d did not stop within %s; killed", p.Pid(), grace)
}
