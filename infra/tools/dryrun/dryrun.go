package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/mapping"
)

type options struct {
	config, source, contentType, file string
	headers                           headerFlag
}

// headerFlag collects repeated -header "Name: value" flags.
type headerFlag []string

func (h *headerFlag) String() string { return strings.Join(*h, ", ") }

func (h *headerFlag) Set(s string) error {
	if !strings.Contains(s, ":") {
		return errors.New(`want "Name: value"`)
	}
	*h = append(*h, s)
	return nil
}

// output is what dryrun prints.
type output struct {
	Source     string           `json:"source"`
	EventID    string           `json:"event_id"`
	Operations []core.Operation `json:"operations"`
	Error      *mapping.Error   `json:"error,omitempty"`
}

func dryRun(o options, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := config.Load(o.config)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	m, err := mapping.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	body, err := readBody(o.file, stdin)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	h := http.Header{}
	for _, kv := range o.headers {
		k, v, _ := strings.Cut(kv, ":")
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	id, err := m.EventID(o.source, h, body, o.contentType)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	out := output{Source: o.source, EventID: id, Operations: []core.Operation{}}
	env := envelope(o, id, h)
	ops, err := m.Map(env, body)
	var merr *mapping.Error
	switch {
	case errors.As(err, &merr):
		out.Error = merr
	case err != nil:
		fmt.Fprintln(stderr, err)
		return 1
	case ops != nil:
		out.Operations = ops
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if out.Error != nil {
		return 1
	}
	if len(out.Operations) == 0 {
		// Not an error (an ignored event), but worth saying: routes often
		// test a header the command line did not give.
		fmt.Fprintf(stderr, "no route of source %s matched this event (or it was ignored on purpose);"+
			" routes may test request headers: give them with -header 'Name: value'\n", o.source)
	}
	return 0
}

func readBody(file string, stdin io.Reader) ([]byte, error) {
	if file == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(file)
}

// envelope builds what ingest would enqueue for this event.
func envelope(o options, id string, h http.Header) *core.Envelope {
	env := &core.Envelope{V: core.EnvelopeVersion, Source: o.source, EventID: id,
		ReceivedAt: time.Now().UTC(), ContentType: o.contentType, Headers: map[string]string{}}
	for k, vs := range h {
		env.Headers[strings.ToLower(k)] = vs[0]
	}
	return env
}
