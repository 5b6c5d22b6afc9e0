package main

import (
	"context"

	"github.com/zohosync/zohosync/shared/app"
)

func main() {
	app.Main("ingest", func(ctx context.Context, rt *app.Runtime) (any, error) {
		h, err := rt.Ingest(ctx)
		if err != nil {
			return nil, err
		}
		return h.Handle, nil
	})
}
