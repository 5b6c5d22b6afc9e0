package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/zohosync/zohosync/shared/auth"
	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/dynamo"
	"github.com/zohosync/zohosync/shared/ledger"
	"github.com/zohosync/zohosync/shared/mapping"
	"github.com/zohosync/zohosync/shared/queue"
	"github.com/zohosync/zohosync/shared/secrets"
)

// Settings are what every function reads from its environment.
type Settings struct {
	// Table is the state table (ZOHOSYNC_TABLE).
	Table string
	// QueueURL is the events queue (ZOHOSYNC_EVENTS_QUEUE_URL).
	QueueURL string
	// DLQURL is the events queue's dead-letter queue (ZOHOSYNC_DLQ_URL;
	// only the admin status reads it).
	DLQURL string
	// Config says where the config file is (ZOHOSYNC_CONFIG): "bundled"
	// (config/zohosync.yaml or zohosync.yaml beside the binary), a path, or
	// "ssm:/name" (an SSM parameter holding the YAML).
	Config string
	// LogLevel is debug, info, warn or error (ZOHOSYNC_LOG_LEVEL).
	LogLevel string
	// Getenv reads org defaults (ZOHOSYNC_DEFAULT_*) and env: secrets.
	Getenv func(string) string
}

// FromEnv reads Settings from the process environment.
func FromEnv() Settings {
	return Settings{
		Table:    os.Getenv("ZOHOSYNC_TABLE"),
		QueueURL: os.Getenv("ZOHOSYNC_EVENTS_QUEUE_URL"),
		DLQURL:   os.Getenv("ZOHOSYNC_DLQ_URL"),
		Config:   os.Getenv("ZOHOSYNC_CONFIG"),
		LogLevel: os.Getenv("ZOHOSYNC_LOG_LEVEL"),
		Getenv:   os.Getenv,
	}
}

// Runtime is everything a function builds once per container. Build it
// with Start (Lambda) or New (local stack, tests); it is safe for
// concurrent use.
type Runtime struct {
	AWS      aws.Config
	Config   *config.Config
	Secrets  *secrets.Resolver
	DynamoDB *dynamodb.Client
	SQS      *sqs.Client
	Table    *dynamo.Table
	Queue    *queue.Queue
	Log      *slog.Logger
	Settings Settings
	// HTTP calls Zoho (API and accounts servers).
	HTTP *http.Client
	// Metrics receives the handlers' EMF metric lines (os.Stdout in Lambda,
	// where CloudWatch Logs picks them up).
	Metrics io.Writer
	// AuthTuning and LedgerTuning hold timing options (leases, waits,
	// margins, retry delays) for the token store and the credit ledger that
	// Tokens and Ledger build; zero fields keep those packages' defaults.
	// Table, orgs, clients and accounts servers always come from the
	// Runtime, and AuthTuning.HTTPClient defaults to HTTP. Set them before
	// building handlers (the fault run in infra/chaos shortens them).
	AuthTuning   auth.Options
	LedgerTuning ledger.Options

	mapperOnce sync.Once
	mapper     *mapping.Mapper
	mapperErr  error
}

// Start builds the AWS configuration from the environment (EnvAWSConfig;
// endpoint overrides such as AWS_ENDPOINT_URL_DYNAMODB apply), loads the
// config file and builds the Runtime.
func Start(ctx context.Context, s Settings, log *slog.Logger) (*Runtime, error) {
	if s.Getenv == nil {
		s.Getenv = os.Getenv
	}
	awsCfg, err := EnvAWSConfig(s.Getenv)
	if err != nil {
		return nil, fmt.Errorf("AWS config: %w", err)
	}
	resolver := NewResolver(awsCfg, s.Getenv)
	cfg, err := LoadConfig(ctx, s.Config, resolver)
	if err != nil {
		return nil, err
	}
	return New(awsCfg, cfg, resolver, s, log)
}

// NewResolver returns a secret resolver over SSM, Secrets Manager and the
// given environment. SSM and Secrets Manager are reached by one
// secrets.AWSClient over awsCfg (its region, credentials and HTTP client;
// AWS_ENDPOINT_URL_SSM and AWS_ENDPOINT_URL_SECRETS_MANAGER apply).
func NewResolver(awsCfg aws.Config, getenv func(string) string) *secrets.Resolver {
	if getenv == nil {
		getenv = os.Getenv
	}
	client := secrets.NewAWSClient(awsCfg, secrets.AWSOptions{})
	return secrets.NewResolver(secrets.Options{
		SSM:            client,
		SecretsManager: client,
		LookupEnv: func(k string) (string, bool) {
			v := getenv(k)
			return v, v != ""
		},
	})
}

// New builds a Runtime from an already loaded config. It applies the
// ZOHOSYNC_DEFAULT_* org defaults from s.Getenv.
func New(awsCfg aws.Config, cfg *config.Config, resolver *secrets.Resolver, s Settings, log *slog.Logger) (*Runtime, error) {
	if s.Table == "" || s.QueueURL == "" {
		return nil, errors.New("ZOHOSYNC_TABLE and ZOHOSYNC_EVENTS_QUEUE_URL must be set")
	}
	if s.Getenv == nil {
		s.Getenv = os.Getenv
	}
	if log == nil {
		log = slog.Default()
	}
	if err := cfg.ApplyDefaults(s.Getenv); err != nil {
		return nil, err
	}
	ddb := dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		if ep := endpointFor(s.Getenv, "DYNAMODB"); ep != "" {
			o.BaseEndpoint = aws.String(ep)
		}
	})
	sq := sqs.NewFromConfig(awsCfg, func(o *sqs.Options) {
		if ep := endpointFor(s.Getenv, "SQS"); ep != "" {
			o.BaseEndpoint = aws.String(ep)
		}
	})
	tbl, err := dynamo.New(ddb, s.Table, dynamo.Options{})
	if err != nil {
		return nil, err
	}
	q, err := queue.New(sq, s.QueueURL, tbl.Blobs(), queue.Options{})
	if err != nil {
		return nil, err
	}
	return &Runtime{
		AWS: awsCfg, Config: cfg, Secrets: resolver, DynamoDB: ddb, SQS: sq, Table: tbl, Queue: q,
		Log: log, Settings: s, HTTP: zohoHTTPClient(), Metrics: os.Stdout,
	}, nil
}

// zohoHTTPClient keeps enough idle connections per host for a full
// concurrency share; each call's context bounds its time.
func zohoHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	t.ResponseHeaderTimeout = 60 * time.Second
	return &http.Client{Transport: t, Timeout: 2 * time.Minute}
}

// Mapper returns the config's compiled mapping (built once).
func (rt *Runtime) Mapper() (*mapping.Mapper, error) {
	rt.mapperOnce.Do(func() { rt.mapper, rt.mapperErr = mapping.New(rt.Config) })
	return rt.mapper, rt.mapperErr
}

// LoadConfig reads the config from where says (see Settings.Config).
func LoadConfig(ctx context.Context, where string, r *secrets.Resolver) (*config.Config, error) {
	switch {
	case where == "" || where == "bundled":
		path, err := bundledConfig()
		if err != nil {
			return nil, err
		}
		return config.Load(path)
	case strings.HasPrefix(where, "ssm:"):
		data, err := r.Resolve(ctx, where)
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
		return config.Parse([]byte(data), where)
	}
	return config.Load(where)
}

// bundledConfig finds the config shipped beside the binary.
func bundledConfig() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find bundled config: %w", err)
	}
	dir := filepath.Dir(exe)
	for _, p := range []string{filepath.Join(dir, "config", "zohosync.yaml"), filepath.Join(dir, "zohosync.yaml")} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("bundled config not found: no config/zohosync.yaml or zohosync.yaml in %s", dir)
}
