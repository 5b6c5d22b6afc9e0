package provision_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
)

func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }

func TestApplyCreatesTemplateResources(t *testing.T) {
	names := emutest.Provision(t)
	ctx := context.Background()
	table := names.Tables["StateTable"]
	if table == "" {
		t.Fatalf("no StateTable in %v", names.Tables)
	}
	ddb := emutest.Dynamo(t)
	d, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(d.Table.GlobalSecondaryIndexes); got != 1 {
		t.Errorf("GSIs = %d, want 1", got)
	}
	ttl, err := ddb.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(ttl.TimeToLiveDescription.AttributeName); got != "expires_at" {
		t.Errorf("TTL attribute = %q, want expires_at", got)
	}
	q := emutest.SQS(t)
	url := names.QueueURLs["EventsQueue"]
	attrs, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	rp := attrs.Attributes["RedrivePolicy"]
	if !strings.Contains(rp, names.QueueARNs["EventsDLQ"]) || !strings.Contains(rp, `"maxReceiveCount":10`) {
		t.Errorf("RedrivePolicy = %s, want target %s and maxReceiveCount 10", rp, names.QueueARNs["EventsDLQ"])
	}
	if got := attrs.Attributes["VisibilityTimeout"]; got != "360" {
		t.Errorf("VisibilityTimeout = %s, want 360", got)
	}
}
