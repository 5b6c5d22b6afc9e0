package emu_test

import (
	"context"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/zohosync/zohosync/infra/local/emu"
	"github.com/zohosync/zohosync/infra/local/emu/emutest"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

// TestStartStop starts a private stack, talks to both emulators over their
// real wire protocols, stops it and checks that both processes are gone.
func TestStartStop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := emu.Start(ctx, emu.Options{LogDir: t.TempDir()})
	if err != nil {
		if os.Getenv("CI") != "true" {
			t.Skipf("emulators unavailable: %v", err)
		}
		t.Fatal(err)
	}
	pids := s.Pids()
	cfg := emutest.AWSConfig()
	ddb := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(s.DynamoEndpoint) })
	if _, err := ddb.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	q := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(s.SQSEndpoint) })
	out, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("probe")})
	if err != nil {
		t.Fatalf("CreateQueue: %v", err)
	}
	if _, err := q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: out.QueueUrl, MessageBody: aws.String("hi")}); err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	s.Stop()
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("process %d still alive after Stop", pid)
		}
	}
	if c, err := net.DialTimeout("tcp", s.SQSEndpoint[len("http://"):], 200*time.Millisecond); err == nil {
		c.Close()
		t.Errorf("SQS port still open after Stop")
	}
}
