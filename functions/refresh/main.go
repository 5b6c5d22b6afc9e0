package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/zohosync/zohosync/shared/app"
	"github.com/zohosync/zohosync/shared/obs"
)

// coldStartTimeout bounds start-up; Lambda allows 10 s of init.
const coldStartTimeout = 9 * time.Second

func main() {
	s := app.FromEnv()
	log := obs.NewLogger(os.Stdout, s.LogLevel)
	slog.SetDefault(log)
	ctx, cancel := context.WithTimeout(context.Background(), coldStartTimeout)
	defer cancel()
	rt, err := app.Start(ctx, s, log)
	if err != nil {
		log.Error("refresh cold start failed", "err", err)
		os.Exit(1)
	}
	// The token store keeps its own long-lived context for the token
	// endpoint: ctx bounds the cold start only.
	h, err := rt.Refresh()
	if err != nil {
		log.Error("refresh cold start failed", "err", err)
		os.Exit(1)
	}
	cancel()
	rec := obs.NewRecorder(os.Stdout)
	rec.Add("ColdStart", obs.Count, 1, obs.Dim{Name: "function", Value: "refresh"})
	if err := rec.Flush(); err != nil {
		log.Warn("flush metrics", "err", err)
	}
	lambda.Start(h.Handle)
}
