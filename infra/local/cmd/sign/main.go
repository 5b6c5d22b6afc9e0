// Command sign signs a webhook body the way a sender does, with the fake
// secret of the samples in testdata/webhooks/<source>, and prints a curl
// command that posts it to the local front door.
//
//	go run ./infra/local/cmd/sign -source stripe -body my-event.json
//
// Stripe and Calendly signatures carry the current time, so post the
// output within their tolerance (a few minutes).
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/samples"
)

func main() {
	source := flag.String("source", "", "sender: stripe, shopify, typeform or calendly")
	bodyFile := flag.String("body", "", "file holding the exact body to send")
	url := flag.String("url", "http://127.0.0.1:3000", "front door base URL")
	flag.Parse()
	if err := run(*source, *bodyFile, *url); err != nil {
		fmt.Fprintln(os.Stderr, "sign:", err)
		os.Exit(1)
	}
}

func run(source, bodyFile, url string) error {
	if source == "" || bodyFile == "" {
		return fmt.Errorf("usage: sign -source <%s> -body <file> [-url %s]", strings.Join(samples.Sources, "|"), url)
	}
	root, err := emu.RepoRoot()
	if err != nil {
		return err
	}
	set, err := samples.Load(root, source)
	if err != nil {
		return err
	}
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return err
	}
	name, value, err := samples.Sign(source, set.Secret, body, time.Now())
	if err != nil {
		return err
	}
	fmt.Printf("curl -sS -i -X POST %s/hooks/%s \\\n  -H 'Content-Type: application/json' \\\n  -H '%s: %s' \\\n  --data-binary @%s\n",
		url, source, name, value, bodyFile)
	return nil
}
