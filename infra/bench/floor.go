package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// The floor is the baseline the ingest latency is quoted against: rounds
// of the three requests an accepted webhook needs at least — a conditional
// PutItem, a SendMessage of a 1.5 KB body and an UpdateItem — sent
// directly, one after another, to the same emulators while the scenario
// posts. The messages go to the dead-letter queue, which nothing reads.

// floorSampler runs floor rounds every interval until stopped, so the
// baseline sees the same machine as the load it is compared with.
type floorSampler struct {
	stop chan struct{}
	done chan struct{}
	vals []time.Duration
	err  error
}

func startFloorSampler(ctx context.Context, d *deployment, every time.Duration) *floorSampler {
	f := &floorSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		for i := 0; ; i++ {
			t, err := floorRound(ctx, d, 1_000_000+i)
			if err != nil {
				f.err = err
				return
			}
			f.vals = append(f.vals, t)
			select {
			case <-f.stop:
				return
			case <-time.After(every):
			}
		}
	}()
	return f
}

// finish stops the sampler and returns its rounds.
func (f *floorSampler) finish() ([]time.Duration, error) {
	close(f.stop)
	<-f.done
	return f.vals, f.err
}

// floorRound is one PutItem, SendMessage and UpdateItem.
func floorRound(ctx context.Context, d *deployment, i int) (time.Duration, error) {
	table := aws.String(d.settings.Table)
	key := map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "floor#bench"},
		"sk": &types.AttributeValueMemberS{Value: fmt.Sprintf("evt#%d", i)},
	}
	start := time.Now()
	if _, err := d.st.Dynamo.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: key,
		ConditionExpression: aws.String("attribute_not_exists(pk)")}); err != nil {
		return 0, fmt.Errorf("floor put: %w", err)
	}
	if _, err := d.st.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(d.st.Names.QueueURLs["EventsDLQ"]),
		MessageBody: aws.String(floorBody)}); err != nil {
		return 0, fmt.Errorf("floor send: %w", err)
	}
	if _, err := d.st.Dynamo.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: table, Key: key,
		UpdateExpression:          aws.String("SET st = :d"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": &types.AttributeValueMemberS{Value: "done"}}}); err != nil {
		return 0, fmt.Errorf("floor update: %w", err)
	}
	return time.Since(start), nil
}

// floorBody is a message the size of a small webhook envelope.
var floorBody = strings.Repeat("x", 1500)
