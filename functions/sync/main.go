// Command sync is the sync Lambda function: SQS batches from the events
// queue in, Zoho CRM writes out, with ReportBatchItemFailures for messages
// whose outcome could not be recorded; see shared/syncer. Wiring only.
package main

import (
	"context"

	"github.com/zohosync/zohosync/shared/app"
)

func main() {
	app.Main("sync", func(ctx context.Context, rt *app.Runtime) (any, error) {
		h, err := rt.Sync(app.SyncOptions{})
		if err != nil {
			return nil, err
		}
		return h.Handle, nil
	})
}
