package main

import (
	"context"

	"github.com/zohosync/zohosync/shared/app"
)

func main() {
	app.Main("refresh", func(ctx context.Context, rt *app.Runtime) (any, error) {
		h, err := rt.Refresh()
		if err != nil {
			return nil, err
		}
		return h.Handle, nil
	})
}
