// Command admin is the admin Lambda function, invoked by an operator with
// one JSON action (connect, status, replay, dry-run; see shared/admin).
// Wiring only.
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
		log.Error("admin cold start failed", "err", err)
		os.Exit(1)
	}
	h, err := rt.Admin()
	if err != nil {
		log.Error("admin cold start failed", "err", err)
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}
