// Package emutest shares one emulator stack per test binary.
//
// A test package calls Run from TestMain; tests that need DynamoDB or SQS call
// Get, which starts the emulators on first use (so unit tests that never call
// it pay nothing). Setting ZOHOSYNC_TEST_DYNAMODB and ZOHOSYNC_TEST_SQS to
// running endpoints skips the start. Under CI=true a missing emulator fails the
// test; elsewhere it skips with the reason.
package emutest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/provision"
)

var (
	once    sync.Once
	stack   *emu.Stack
	started *emu.Stack
	err     error
	seq     atomic.Int64
)

// Run runs the tests and then stops the emulators it started, if any.
func Run(m *testing.M) int {
	code := m.Run()
	if started != nil {
		started.Stop()
	}
	return code
}

// Get returns the running stack, starting it on first use.
func Get(t testing.TB) *emu.Stack {
	t.Helper()
	once.Do(func() {
		d, s := os.Getenv("ZOHOSYNC_TEST_DYNAMODB"), os.Getenv("ZOHOSYNC_TEST_SQS")
		if d != "" && s != "" {
			stack = &emu.Stack{DynamoEndpoint: d, SQSEndpoint: s}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		stack, err = emu.Start(ctx, emu.Options{})
		started = stack
	})
	if err != nil {
		if errors.Is(err, emu.ErrNotInstalled) && os.Getenv("CI") != "true" {
			t.Skipf("emulators unavailable: %v", err)
		}
		t.Fatalf("start emulators: %v", err)
	}
	return stack
}

// AWSConfig returns an aws.Config with static local credentials.
func AWSConfig() aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("local", "local", ""),
		RetryMaxAttempts: 3,
	}
}

// Dynamo returns a DynamoDB client for the emulator.
func Dynamo(t testing.TB) *dynamodb.Client {
	s := Get(t)
	return dynamodb.NewFromConfig(AWSConfig(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(s.DynamoEndpoint)
	})
}

// SQS returns an SQS client for the emulator.
func SQS(t testing.TB) *sqs.Client {
	s := Get(t)
	return sqs.NewFromConfig(AWSConfig(), func(o *sqs.Options) {
		o.BaseEndpoint = aws.String(s.SQSEndpoint)
	})
}

// Name returns a name unique within this test binary run, for tables and queues.
func Name(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), seq.Add(1))
}

// Provision creates template.yaml's table and queues under a fresh name
// prefix and returns their names. They live as long as the emulators. The
// bound is generous: on a loaded machine DynamoDB Local's first tables take
// seconds.
func Provision(t testing.TB) *provision.Names {
	t.Helper()
	root, err := emu.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := provision.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	names, err := tpl.Apply(ctx, Dynamo(t), SQS(t), Name("t"))
	if err != nil {
		t.Fatalf("provision: %v", err)
	}
	return names
}
