// Command sync is the sync Lambda function: SQS batches from the events
// queue in, Zoho CRM writes out, with ReportBatchItemFailures for messages
// whose outcome could not be recorded. Wiring only; the handler is
// shared/syncer, built by shared/app.
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
	rt, err := app.Start(ctx, s, log)
	cancel()
	if err != nil {
		log.Error("sync cold start failed", "err", err)
		os.Exit(1)
	}
	h, err := rt.Sync(app.SyncOptions{})
	if err != nil {
		log.Error("sync cold start failed", "err", err)
		os.Exit(1)
	}
	rec := obs.NewRecorder(os.Stdout)
	rec.Add("ColdStart", obs.Count, 1, obs.Dim{Name: "function", Value: "sync"})
	rec.Flush()
	lambda.Start(h.Handle)
}
