package main

import (
	"context"
	"crypto/md5"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/samples"
	"github.com/zohosync/zohosync/infra/local/stack"
	"github.com/zohosync/zohosync/shared/core"
)

// timeouts are the functions' timeouts in template.yaml.
var timeouts = map[string]time.Duration{
	"ingest": 10 * time.Second, "sync": time.Minute, "refresh": time.Minute, "admin": 2 * time.Minute,
}

// invokeOnce runs one event through a built bootstrap under the RIE against
// the local stack and prints the response.
func invokeOnce(ctx context.Context, o options) error {
	timeout, ok := timeouts[o.invoke]
	if !ok {
		return fmt.Errorf("unknown function %q (ingest, sync, refresh, admin)", o.invoke)
	}
	payload, err := os.ReadFile(o.event)
	if err != nil {
		return err
	}
	st, err := stack.Up(ctx, stack.Options{LogDir: filepath.Join(".local", "logs")})
	if err != nil {
		return err
	}
	defer st.Down()
	env := st.FunctionEnv()
	secrets, err := secretEnv(st.Root)
	if err != nil {
		return err
	}
	for k, v := range secrets {
		env[k] = v
	}
	sim, err := startSimulator(ctx, st.Root)
	if err != nil {
		return err
	}
	defer sim.Stop()
	if env["ZOHOSYNC_CONFIG"], err = localConfig(st.Root, sim.AccountsURL(localDC)); err != nil {
		return err
	}
	if err := stack.SetEnv(env); err != nil {
		return err
	}
	if !strings.Contains(string(payload), `"connect"`) {
		// Every other function needs a connected org, as after deployment.
		h, err := buildHandlers(ctx, &Wiring{Stack: st, Env: env, Sim: sim, Logs: io.Discard})
		if err != nil {
			return err
		}
		if err := connect(ctx, h, sim); err != nil {
			return err
		}
	}
	if payload, err = prepare(o.invoke, payload, st.Root, sim); err != nil {
		return err
	}
	r, err := lambdaemu.StartRIE(ctx, lambdaemu.RIEConfig{RIE: o.rie, Bootstrap: o.bootstrap, Name: "zohosync-" + o.invoke,
		Timeout: timeout, Env: envList(env), Log: os.Stderr})
	if err != nil {
		return err
	}
	defer r.Stop()
	start := time.Now()
	out, err := r.Invoke(ctx, payload)
	fmt.Fprintf(os.Stderr, "invoke took %s (cold: includes the bootstrap's init)\n", time.Since(start).Round(time.Microsecond))
	if err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}

// prepare refreshes what a stored event cannot keep valid: a timestamped
// webhook signature (re-signed now with the sample secret, as the sender
// signs each attempt) and the connect action's single-use grant code.
func prepare(fn string, payload []byte, root string, sim Simulator) ([]byte, error) {
	switch fn {
	case "ingest":
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("event: %w", err)
		}
		src := ev.PathParameters["source"]
		if !samples.SignsTimestamp(src) {
			return payload, nil
		}
		set, err := samples.Load(root, src)
		if err != nil {
			return nil, err
		}
		now := time.Now()
		ev.Headers, _ = samples.Resign(src, set.Secret, ev.Headers, []byte(ev.Body), now)
		ev.RequestContext.TimeEpoch = now.UnixMilli()
		ev.RequestContext.Time = now.UTC().Format("02/Jan/2006:15:04:05 -0700")
		fmt.Fprintf(os.Stderr, "re-signed the %s signature at %s with the sample secret\n", src, now.UTC().Format(time.RFC3339))
		return json.Marshal(ev)
	case "sync":
		return freshBatch(payload, time.Now())
	case "admin":
		if !strings.Contains(string(payload), "SIMULATOR_GRANT_CODE") {
			return payload, nil
		}
		if sim == nil {
			return nil, errors.New("connect needs the Zoho simulator for a grant code")
		}
		if err := sim.AddClient(localDC, localClientID, localClientSecret); err != nil {
			return nil, err
		}
		code := sim.GrantCode(localDC, localClientID, localScope)
		return []byte(strings.ReplaceAll(string(payload), "SIMULATOR_GRANT_CODE", code)), nil
	}
	return payload, nil
}

func envList(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// freshBatch dates a stored SQS batch now: each envelope's received_at and
// each message's SentTimestamp, so the sync function's webhook-to-CRM
// latency measures this invoke, not the day the event file was written.
func freshBatch(payload []byte, now time.Time) ([]byte, error) {
	var ev events.SQSEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("event: %w", err)
	}
	for i := range ev.Records {
		r := &ev.Records[i]
		env, err := core.UnmarshalEnvelope([]byte(r.Body))
		if err != nil {
			return nil, fmt.Errorf("event record %d: %w", i, err)
		}
		env.ReceivedAt = now.UTC()
		b, err := env.Marshal()
		if err != nil {
			return nil, err
		}
		r.Body = string(b)
		r.Md5OfBody = fmt.Sprintf("%x", md5.Sum(b))
		if r.Attributes != nil {
			r.Attributes["SentTimestamp"] = strconv.FormatInt(now.UnixMilli(), 10)
		}
	}
	return json.Marshal(ev)
}
