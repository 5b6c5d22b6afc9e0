// Command zohosim runs the Zoho CRM simulator for the local stack.
//
//	go run ./infra/zohosim/cmd/zohosim -listen 127.0.0.1:9090 -config sim.yaml
//
// By default it serves one data centre (-dc, default us) on -listen: the
// accounts server, the API host and the control API under /__sim/ share that
// address. -all-dcs serves every data centre on free loopback ports instead.
// Flags override the config file. It stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "zohosim:", err)
		os.Exit(1)
	}
}
