package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/lambdaemu"
	"github.com/zohosync/zohosync/infra/local/provision"
)

// Options configures Up. Zero values pick free ports, a temporary log
// folder and the repository found from the working directory.
type Options struct {
	Root   string
	Prefix string // physical name prefix (default "zohosync")
	LogDir string
	// Emulators, when set, is a running pair to use instead of starting one.
	Emulators *emu.Stack
}

// Stack is a running local stack.
type Stack struct {
	Root     string
	Emu      *emu.Stack
	Names    *provision.Names
	Template *provision.Template
	SQS      *sqs.Client
	Dynamo   *dynamodb.Client

	owned bool
}

// Up starts the emulators (unless given) and creates template.yaml's table
// and queues in them.
func Up(ctx context.Context, opt Options) (*Stack, error) {
	root := opt.Root
	if root == "" {
		r, err := emu.RepoRoot()
		if err != nil {
			return nil, err
		}
		root = r
	}
	tpl, err := provision.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	s := &Stack{Root: root, Template: tpl, Emu: opt.Emulators}
	if s.Emu == nil {
		if s.Emu, err = emu.Start(ctx, emu.Options{Root: root, LogDir: opt.LogDir}); err != nil {
			return nil, err
		}
		s.owned = true
	}
	cfg := aws.Config{Region: lambdaemu.Region, RetryMaxAttempts: 3,
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
	s.SQS = sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(s.Emu.SQSEndpoint) })
	s.Dynamo = dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(s.Emu.DynamoEndpoint) })
	prefix := opt.Prefix
	if prefix == "" {
		prefix = "zohosync"
	}
	if s.Names, err = tpl.Apply(ctx, s.Dynamo, s.SQS, prefix); err != nil {
		s.Down()
		return nil, fmt.Errorf("provision: %w", err)
	}
	return s, nil
}

// Down stops the emulators if Up started them.
func (s *Stack) Down() {
	if s.owned && s.Emu != nil {
		s.Emu.Stop()
	}
}

// FunctionEnv returns the environment template.yaml gives every function
// (Globals.Function.Environment.Variables), resolved to the local names,
// plus the settings that point aws-sdk-go-v2 at the emulators.
func (s *Stack) FunctionEnv() map[string]string {
	p := s.Template.Param
	env := map[string]string{
		"ZOHOSYNC_TABLE":                     s.Names.Tables["StateTable"],
		"ZOHOSYNC_EVENTS_QUEUE_URL":          s.Names.QueueURLs["EventsQueue"],
		"ZOHOSYNC_CONFIG":                    p("ConfigLocation"),
		"ZOHOSYNC_LOG_LEVEL":                 p("LogLevel"),
		"ZOHOSYNC_DEFAULT_DATA_CENTER":       p("ZohoDataCenter"),
		"ZOHOSYNC_DEFAULT_EDITION":           p("ZohoEdition"),
		"ZOHOSYNC_DEFAULT_USERS":             p("ZohoUsers"),
		"ZOHOSYNC_DEFAULT_CREDIT_SHARE":      p("CreditShare"),
		"ZOHOSYNC_DEFAULT_CONCURRENCY_SHARE": p("ConcurrencyShare"),
	}
	for _, kv := range s.Emu.Env() {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				env[kv[:i]] = kv[i+1:]
				break
			}
		}
	}
	return env
}

// SetEnv puts env into this process's environment, for handlers that run
// in process and read os.Getenv at construction.
func SetEnv(env map[string]string) error {
	for k, v := range env {
		if err := os.Setenv(k, v); err != nil {
			return fmt.Errorf("set %s: %w", k, err)
		}
	}
	return nil
}

// Mapping is the sync event source mapping as template.yaml declares it,
// with the parameters' defaults.
type Mapping struct {
	BatchSize      int
	Window         time.Duration
	MaxConcurrency int
	SyncTimeout    time.Duration
}

// EventSourceMapping reads the sync function's SQS event settings.
func (s *Stack) EventSourceMapping() (Mapping, error) {
	t := s.Template
	get := func(path ...string) (int, error) {
		v := t.Property("SyncFunction", path...)
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("template SyncFunction %v = %q: %w", path, v, err)
		}
		return n, nil
	}
	var m Mapping
	var err error
	ev := []string{"Events", "Queue", "Properties"}
	if m.BatchSize, err = get(append(ev, "BatchSize")...); err != nil {
		return m, err
	}
	w, err := get(append(ev, "MaximumBatchingWindowInSeconds")...)
	if err != nil {
		return m, err
	}
	if m.MaxConcurrency, err = get(append(ev, "ScalingConfig", "MaximumConcurrency")...); err != nil {
		return m, err
	}
	to, err := get("Timeout")
	if err != nil {
		return m, err
	}
	m.Window, m.SyncTimeout = time.Duration(w)*time.Second, time.Duration(to)*time.Second
	return m, nil
}
