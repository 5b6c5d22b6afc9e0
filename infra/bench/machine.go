package main

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zohosync/zohosync/infra/bench/report"
)

// machine describes this computer.
func machine() report.Machine {
	m := report.Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, GoVersion: runtime.Version()}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	m.LoadStart = loadAvg()
	return m
}

// loadAvg is the one-minute load average (0 when unknown).
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// loadSampler reads the load average every few seconds while the run goes.
type loadSampler struct {
	mu   sync.Mutex
	vals []float64
	stop chan struct{}
	done chan struct{}
}

func startLoadSampler(every time.Duration) *loadSampler {
	s := &loadSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			s.mu.Lock()
			s.vals = append(s.vals, loadAvg())
			s.mu.Unlock()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// finish stops sampling and fills m's load figures.
func (s *loadSampler) finish(m *report.Machine) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.vals) == 0 {
		return
	}
	m.LoadMin, m.LoadMax = s.vals[0], s.vals[0]
	sum := 0.0
	for _, v := range s.vals {
		m.LoadMin, m.LoadMax = min(m.LoadMin, v), max(m.LoadMax, v)
		sum += v
	}
	m.LoadMean = sum / float64(len(s.vals))
}
