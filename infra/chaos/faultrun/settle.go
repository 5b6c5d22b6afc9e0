package faultrun

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// depth is a queue's approximate message counts.
type depth struct{ visible, inFlight, delayed int }

func (d depth) total() int { return d.visible + d.inFlight + d.delayed }

// String renders the counts for a progress or problem line.
func (d depth) String() string {
	return fmt.Sprintf("%d visible, %d in flight, %d delayed", d.visible, d.inFlight, d.delayed)
}

func (s *stage) depth(ctx context.Context, url string) (depth, error) {
	out, err := s.st.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		return depth{}, fmt.Errorf("queue depth: %w", err)
	}
	n := func(a string) int { v, _ := strconv.Atoi(out.Attributes[a]); return v }
	return depth{n("ApproximateNumberOfMessages"), n("ApproximateNumberOfMessagesNotVisible"),
		n("ApproximateNumberOfMessagesDelayed")}, nil
}

// settle waits until the events queue is empty and no worker holds a
// batch, three looks in a row.
func settle(ctx context.Context, s *stage, fl *fleet, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	streak := 0
	for {
		d, err := s.depth(ctx, s.queueURL())
		if err != nil {
			return err
		}
		if d.total() == 0 && fl.busy() == 0 {
			streak++
		} else {
			streak = 0
		}
		if streak >= 3 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("queue not drained after %s: %s", timeout, d)
		case <-time.After(300 * time.Millisecond):
		}
	}
}
