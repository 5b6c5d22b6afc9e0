package app

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/zohosync/zohosync/shared/admin"
)

// Admin builds the admin handler.
func (rt *Runtime) Admin() (*admin.Handler, error) {
	p, err := rt.parts()
	if err != nil {
		return nil, err
	}
	return admin.New(admin.Deps{
		Config: rt.Config, Tokens: p.tokens, Clients: rt.clientFor, Credits: p.ledger,
		DeadLetters: rt.Table.DeadLetters(), Queue: rt.Queue, QueueDepth: rt.queueDepth,
		Mapper: p.mapper, Planner: p.planner, Log: rt.Log,
	})
}

// queueDepth reads the approximate message counts of the events queue and,
// when its URL is set, the dead-letter queue.
func (rt *Runtime) queueDepth(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	queues := map[string]string{"events": rt.Settings.QueueURL, "dlq": rt.Settings.DLQURL}
	for name, url := range queues {
		if url == "" {
			continue
		}
		a, err := rt.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
			AttributeNames: []sqstypes.QueueAttributeName{
				sqstypes.QueueAttributeNameApproximateNumberOfMessages,
				sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
				sqstypes.QueueAttributeNameApproximateNumberOfMessagesDelayed,
			}})
		if err != nil {
			return nil, fmt.Errorf("%s queue attributes: %w", name, err)
		}
		for attr, key := range map[string]string{"ApproximateNumberOfMessages": "visible",
			"ApproximateNumberOfMessagesNotVisible": "in_flight", "ApproximateNumberOfMessagesDelayed": "delayed"} {
			n, _ := strconv.Atoi(a.Attributes[attr])
			out[name+"_"+key] = n
		}
	}
	return out, nil
}
