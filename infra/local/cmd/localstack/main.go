// Command localstack runs zohosync locally, wired as in AWS: DynamoDB Local
// and fauxqs with template.yaml's table and queues, the Zoho simulator, the
// front door on 127.0.0.1:3000 (POST /hooks/{source}) and the SQS event
// source mapping in front of the sync function. It posts the signed sample
// webhooks, prints what became of each and stays up for more until Ctrl-C.
//
//	localstack            the interactive run (`make run`)
//	localstack -once      exit after the samples; non-zero when a sample
//	                      misses its outcome in infra/local/expected.yaml
//	localstack -invoke FN -event FILE -rie BIN -bootstrap FILE
//	                      one invoke of a built bootstrap under the RIE
//	                      against the local stack (`make invoke`)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	var o options
	flag.BoolVar(&o.once, "once", false, "exit after the samples have settled")
	flag.StringVar(&o.addr, "addr", "127.0.0.1:3000", "front door address (loopback only)")
	flag.StringVar(&o.invoke, "invoke", "", "invoke this function (ingest, sync, refresh, admin) once under the RIE")
	flag.StringVar(&o.event, "event", "", "event file for -invoke")
	flag.StringVar(&o.rie, "rie", ".bin/aws-lambda-rie", "aws-lambda-rie binary for -invoke")
	flag.StringVar(&o.bootstrap, "bootstrap", "", "bootstrap built for this machine, for -invoke")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if o.invoke != "" {
		err = invokeOnce(ctx, o)
	} else {
		err = run(ctx, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "localstack:", err)
		os.Exit(1)
	}
}

type options struct {
	once               bool
	addr               string
	invoke, event, rie string
	bootstrap          string
}
