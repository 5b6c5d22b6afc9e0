package awscount

import (
	"context"
	"sort"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/zohosync/zohosync/infra/bench/price"
)

// Op is what one service operation cost over the counted period.
type Op struct {
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Requests  int    `json:"requests"`
	Errors    int    `json:"errors"`
	// ReadUnits and WriteUnits are the request units DynamoDB reported;
	// EstimatedWriteUnits those assumed for failed writes.
	ReadUnits           float64 `json:"read_units,omitempty"`
	WriteUnits          float64 `json:"write_units,omitempty"`
	EstimatedWriteUnits float64 `json:"estimated_write_units,omitempty"`
	// PayloadBytes and Chunks are SQS message bytes and billable requests.
	PayloadBytes int64 `json:"payload_bytes,omitempty"`
	Chunks       int   `json:"chunks,omitempty"`
	// EarlyEmpty counts receives that came back empty well before their
	// long-poll wait ended. SQS keeps a long poll open until a message
	// arrives or the wait ends; the emulator wakes every waiting receive
	// when one message arrives. These are not billed (not in Chunks).
	EarlyEmpty int `json:"early_empty_receives,omitempty"`
}

// Counter aggregates counts from any number of clients; it is safe for
// concurrent use. The zero value is not usable: call New.
type Counter struct {
	mu  sync.Mutex
	ops map[[2]string]*Op
}

// New returns an empty Counter.
func New() *Counter { return &Counter{ops: map[[2]string]*Op{}} }

// APIOption installs the counting middleware; append it to
// aws.Config.APIOptions (or a client's Options.APIOptions).
func (c *Counter) APIOption(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("zohosyncBenchCount", c.handle), middleware.After)
}

func (c *Counter) handle(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error) {
	service := awsmiddleware.GetServiceID(ctx)
	if service == "DynamoDB" {
		in.Parameters = withCapacity(in.Parameters)
	}
	start := time.Now()
	out, md, err := next.HandleInitialize(ctx, in)
	took := time.Since(start)
	op := awsmiddleware.GetOperationName(ctx)
	var d delta
	switch service {
	case "DynamoDB":
		d = dynamoDelta(in.Parameters, out.Result, err)
	case "SQS":
		d = sqsDelta(in.Parameters, out.Result, err)
		d.earlyEmpty = earlyEmpty(in.Parameters, out.Result, err, took)
	}
	c.add(service, op, err != nil, d)
	return out, md, err
}

// delta is one request's contribution.
type delta struct {
	read, write, estWrite float64
	payload               int64
	sqs, earlyEmpty       bool
}

func (c *Counter) add(service, operation string, failed bool, d delta) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [2]string{service, operation}
	o := c.ops[k]
	if o == nil {
		o = &Op{Service: service, Operation: operation}
		c.ops[k] = o
	}
	o.Requests++
	if failed {
		o.Errors++
	}
	o.ReadUnits += d.read
	o.WriteUnits += d.write
	o.EstimatedWriteUnits += d.estWrite
	switch {
	case d.earlyEmpty:
		o.EarlyEmpty++
	case d.sqs:
		o.PayloadBytes += d.payload
		o.Chunks += price.Chunks(d.payload, price.SQSChunkBytes)
	}
}

// Snapshot returns the counts so far, sorted by service and operation.
func (c *Counter) Snapshot() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(Counts, 0, len(c.ops))
	for _, o := range c.ops {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		return out[i].Operation < out[j].Operation
	})
	return out
}

// Counts are the per-operation counts of a Counter.
type Counts []Op

// Totals sums counts by what AWS bills.
type Totals struct {
	DynamoRequests      int     `json:"dynamodb_requests"`
	ReadUnits           float64 `json:"dynamodb_read_units"`
	WriteUnits          float64 `json:"dynamodb_write_units"`
	EstimatedWriteUnits float64 `json:"dynamodb_estimated_write_units"`
	SQSRequests         int     `json:"sqs_requests"`
	SQSChunks           int     `json:"sqs_billable_requests"`
	SQSEarlyEmpty       int     `json:"sqs_early_empty_receives"`
	Other               int     `json:"other_requests"`
}

// Totals sums the counts.
func (cs Counts) Totals() Totals {
	var t Totals
	for _, o := range cs {
		switch o.Service {
		case "DynamoDB":
			t.DynamoRequests += o.Requests
			t.ReadUnits += o.ReadUnits
			t.WriteUnits += o.WriteUnits + o.EstimatedWriteUnits
			t.EstimatedWriteUnits += o.EstimatedWriteUnits
		case "SQS":
			t.SQSRequests += o.Requests
			t.SQSChunks += o.Chunks
			t.SQSEarlyEmpty += o.EarlyEmpty
		default:
			t.Other += o.Requests
		}
	}
	return t
}

// Requests returns the request count of one operation (0 when absent).
func (cs Counts) Requests(service, operation string) int {
	for _, o := range cs {
		if o.Service == service && o.Operation == operation {
			return o.Requests
		}
	}
	return 0
}
