package obs

import (
	"context"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// Namespace is the CloudWatch namespace of every zohosync metric.
const Namespace = "zohosync"

// Unit is a CloudWatch metric unit.
type Unit string

// Units used by zohosync.
const (
	Count        Unit = "Count"
	Milliseconds Unit = "Milliseconds"
	Bytes        Unit = "Bytes"
	None         Unit = "None"
)

// Dim is one metric dimension.
type Dim struct{ Name, Value string }

// Recorder aggregates metrics during one invocation and writes them as EMF
// documents on Flush: one JSON line per dimension set. Counts with the same
// name and dimensions add up; other units keep every value (EMF "Values"
// arrays hold up to 100 distinct values, which CloudWatch turns into
// statistics). A Recorder is safe for concurrent use.
type Recorder struct {
	mu   sync.Mutex
	w    io.Writer
	now  func() time.Time
	sets map[string]*dimSet
}

type dimSet struct {
	dims    []Dim
	metrics map[string]*metric
}

type metric struct {
	unit   Unit
	values []float64
}

// NewRecorder returns a recorder writing to w (stdout in Lambda).
func NewRecorder(w io.Writer) *Recorder {
	return &Recorder{w: w, now: time.Now, sets: map[string]*dimSet{}}
}

// Add records value v of metric name with unit u under dims.
func (r *Recorder) Add(name string, u Unit, v float64, dims ...Dim) {
	if r == nil {
		return
	}
	dims = normalize(dims)
	key := dimKey(dims)
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.sets[key]
	if s == nil {
		s = &dimSet{dims: dims, metrics: map[string]*metric{}}
		r.sets[key] = s
	}
	m := s.metrics[name]
	if m == nil {
		m = &metric{unit: u}
		s.metrics[name] = m
	}
	if u == Count && len(m.values) == 1 {
		m.values[0] += v
		return
	}
	if len(m.values) < 100 {
		m.values = append(m.values, v)
	}
}

// Flush writes every recorded metric and forgets them.
func (r *Recorder) Flush() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	sets := r.sets
	r.sets = map[string]*dimSet{}
	r.mu.Unlock()
	keys := make([]string, 0, len(sets))
	for k := range sets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ts := r.now().UnixMilli()
	for _, k := range keys {
		b, err := encodeEMF(sets[k], ts)
		if err != nil {
			return err
		}
		if _, err := r.w.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	return nil
}

func encodeEMF(s *dimSet, ts int64) ([]byte, error) {
	doc := map[string]any{}
	names := make([]string, 0, len(s.dims))
	for _, d := range s.dims {
		names = append(names, d.Name)
		doc[d.Name] = d.Value
	}
	type def struct {
		Name string `json:"Name"`
		Unit Unit   `json:"Unit"`
	}
	var defs []def
	metricNames := make([]string, 0, len(s.metrics))
	for n := range s.metrics {
		metricNames = append(metricNames, n)
	}
	sort.Strings(metricNames)
	for _, n := range metricNames {
		m := s.metrics[n]
		defs = append(defs, def{n, m.unit})
		if len(m.values) == 1 {
			doc[n] = m.values[0]
		} else {
			doc[n] = m.values
		}
	}
	doc["_aws"] = map[string]any{
		"Timestamp": ts,
		"CloudWatchMetrics": []any{map[string]any{
			"Namespace":  Namespace,
			"Dimensions": [][]string{names},
			"Metrics":    defs,
		}},
	}
	return json.Marshal(doc)
}

func normalize(dims []Dim) []Dim {
	out := make([]Dim, 0, len(dims))
	for _, d := range dims {
		if d.Name != "" && d.Value != "" {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func dimKey(dims []Dim) string {
	var b strings.Builder
	for _, d := range dims {
		b.WriteString(d.Name)
		b.WriteByte('=')
		b.WriteString(d.Value)
		b.WriteByte(0)
	}
	return b.String()
}

// WithRecorder returns a context that carries r for Add.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, recorderKey, r)
}

// Add records a metric on the context's recorder; without one it does nothing.
func Add(ctx context.Context, name string, u Unit, v float64, dims ...Dim) {
	r, _ := ctx.Value(recorderKey).(*Recorder)
	r.Add(name, u, v, dims...)
}

// Org and Source build the two standard dimensions.
func Org(org string) Dim { return Dim{"org", org} }

// Source builds the source dimension.
func Source(src string) Dim { return Dim{"source", src} }
