package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/zohosync/zohosync/shared/config"
	"github.com/zohosync/zohosync/shared/dynamo"
	"github.com/zohosync/zohosync/shared/ingest"
	"github.com/zohosync/zohosync/shared/mapping"
	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/queue"
	"github.com/zohosync/zohosync/shared/secrets"
)

// coldStartTimeout bounds start-up; Lambda allows 10 s of init.
const coldStartTimeout = 9 * time.Second

func main() {
	log := obs.NewLogger(os.Stdout, os.Getenv("ZOHOSYNC_LOG_LEVEL"))
	slog.SetDefault(log)
	ctx, cancel := context.WithTimeout(context.Background(), coldStartTimeout)
	h, err := setup(ctx, log)
	cancel()
	if err != nil {
		log.Error("ingest cold start failed", "err", err)
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}

func setup(ctx context.Context, log *slog.Logger) (*ingest.Handler, error) {
	table, queueURL := os.Getenv("ZOHOSYNC_TABLE"), os.Getenv("ZOHOSYNC_EVENTS_QUEUE_URL")
	if table == "" || queueURL == "" {
		return nil, errors.New("ZOHOSYNC_TABLE and ZOHOSYNC_EVENTS_QUEUE_URL must be set")
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	resolver := secrets.NewResolver(secrets.Options{
		SSM:            ssm.NewFromConfig(awsCfg),
		SecretsManager: secretsmanager.NewFromConfig(awsCfg),
	})
	cfg, err := loadConfig(ctx, os.Getenv("ZOHOSYNC_CONFIG"), resolver)
	if err != nil {
		return nil, err
	}
	if err := cfg.ApplyDefaults(os.Getenv); err != nil {
		return nil, err
	}
	tbl, err := dynamo.New(dynamodb.NewFromConfig(awsCfg), table, dynamo.Options{})
	if err != nil {
		return nil, err
	}
	q, err := queue.New(sqs.NewFromConfig(awsCfg), queueURL, tbl.Blobs(), queue.Options{})
	if err != nil {
		return nil, err
	}
	ids, err := mapping.New(cfg)
	if err != nil {
		return nil, err
	}
	return ingest.New(ctx, cfg, ingest.Deps{
		Claims: tbl.Claims(), Queue: q, IDs: ids, Secrets: resolver, Log: log,
	})
}

// loadConfig reads the config from where ZOHOSYNC_CONFIG says.
func loadConfig(ctx context.Context, where string, r *secrets.Resolver) (*config.Config, error) {
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
