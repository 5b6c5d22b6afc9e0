package app

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/zohosync/zohosync/shared/obs"
)

// ColdStartTimeout bounds a function's start-up; Lambda allows 10 s of init.
const ColdStartTimeout = 9 * time.Second

// Main is every function's main: it installs the JSON logger, builds the
// Runtime from the environment, builds the handler with build, records a
// ColdStart metric and hands the handler to the Lambda runtime. A start-up
// failure is logged once and the process exits non-zero. The context given
// to build bounds the cold start only; handlers keep nothing derived from it.
func Main(function string, build func(ctx context.Context, rt *Runtime) (any, error)) {
	s := FromEnv()
	log := obs.NewLogger(os.Stdout, s.LogLevel)
	slog.SetDefault(log)
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), ColdStartTimeout)
	h, err := start(ctx, s, log, build)
	cancel()
	if err != nil {
		log.Error(function+" cold start failed", "err", err)
		os.Exit(1)
	}
	rec := obs.NewRecorder(os.Stdout)
	fn := obs.Dim{Name: "function", Value: function}
	rec.Add("ColdStart", obs.Count, 1, fn)
	rec.Add("InitDuration", obs.Milliseconds, float64(time.Since(started).Microseconds())/1000, fn)
	if err := rec.Flush(); err != nil {
		log.Warn("flush metrics", "err", err)
	}
	lambda.Start(h)
}

func start(ctx context.Context, s Settings, log *slog.Logger, build func(context.Context, *Runtime) (any, error)) (any, error) {
	rt, err := Start(ctx, s, log)
	if err != nil {
		return nil, err
	}
	return build(ctx, rt)
}
