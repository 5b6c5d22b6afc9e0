// Command admin is the admin Lambda function, invoked by an operator with
// one JSON action (connect, status, replay, dry-run; see shared/admin).
// Wiring only.
package main

import (
	"context"

	"github.com/zohosync/zohosync/shared/app"
)

func main() {
	app.Main("admin", func(ctx context.Context, rt *app.Runtime) (any, error) {
		h, err := rt.Admin()
		if err != nil {
			return nil, err
		}
		return h.Invoke, nil
	})
}
