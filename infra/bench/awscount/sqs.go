package awscount

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// sqsDelta measures the payload of one SQS request: the messages sent, or
// the messages a receive returned. Other operations carry no message
// payload and bill as one request.
func sqsDelta(in, out any, err error) delta {
	d := delta{sqs: true}
	switch v := in.(type) {
	case *sqs.SendMessageInput:
		d.payload = int64(len(deref(v.MessageBody))) + attrBytes(v.MessageAttributes)
	case *sqs.SendMessageBatchInput:
		for _, e := range v.Entries {
			d.payload += int64(len(deref(e.MessageBody))) + attrBytes(e.MessageAttributes)
		}
	}
	if r, ok := out.(*sqs.ReceiveMessageOutput); ok && err == nil {
		for _, m := range r.Messages {
			d.payload += int64(len(deref(m.Body))) + attrBytes(m.MessageAttributes)
		}
	}
	return d
}

// attrBytes sizes message attributes as SQS counts them: name, type and
// value.
func attrBytes(attrs map[string]sqstypes.MessageAttributeValue) int64 {
	var n int64
	for name, a := range attrs {
		n += int64(len(name) + len(deref(a.DataType)) + len(deref(a.StringValue)) + len(a.BinaryValue))
	}
	return n
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// earlyEmpty reports a receive that returned no message more than half a
// second before its long-poll wait (WaitTimeSeconds) was over.
func earlyEmpty(in, out any, err error, took time.Duration) bool {
	req, ok := in.(*sqs.ReceiveMessageInput)
	resp, ok2 := out.(*sqs.ReceiveMessageOutput)
	if !ok || !ok2 || err != nil || len(resp.Messages) > 0 || req.WaitTimeSeconds <= 0 {
		return false
	}
	return took < time.Duration(req.WaitTimeSeconds)*time.Second-500*time.Millisecond
}
