// Command dryrun prints, as JSON, the Zoho operations one webhook event
// would produce with a config, without sending anything anywhere:
//
//	go run ./infra/tools/dryrun -config config/zohosync.yaml -source stripe event.json
//	go run ./infra/tools/dryrun -config config/zohosync.yaml -source shopify \
//	    -header 'X-Shopify-Topic: orders/create' order.json
//
// The file "-" is standard input. A mapping error is printed as JSON too
// (what the dead letter would say) and the exit status is 1.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dryrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.config, "config", "config/zohosync.yaml", "config file")
	fs.StringVar(&o.source, "source", "", "source name (the {source} of /hooks/{source})")
	fs.StringVar(&o.contentType, "content-type", "application/json", "the request's Content-Type")
	fs.Var(&o.headers, "header", `a request header "Name: value" (repeatable)`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dryrun -config FILE -source NAME [-header 'Name: value']... EVENT_FILE|-")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.source == "" || fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	o.file = fs.Arg(0)
	return dryRun(o, stdin, stdout, stderr)
}
