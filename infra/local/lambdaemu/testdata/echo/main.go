// Command echo is a tiny Lambda function for lambdaemu's RIE test: it
// answers {"echo": <event>, "env": <ECHO_VALUE>}, fails on {"fail":true}
// and panics on {"panic":true}.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

type event struct {
	Fail  bool            `json:"fail"`
	Panic bool            `json:"panic"`
	Value json.RawMessage `json:"value"`
}

func handle(_ context.Context, ev event) (map[string]any, error) {
	if ev.Panic {
		panic("asked to panic")
	}
	if ev.Fail {
		return nil, errors.New("asked to fail")
	}
	return map[string]any{"echo": ev.Value, "env": os.Getenv("ECHO_VALUE")}, nil
}

func main() { lambda.Start(handle) }
