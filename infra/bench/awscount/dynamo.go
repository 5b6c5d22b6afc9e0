package awscount

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// withCapacity returns a copy of a DynamoDB input that asks for the
// consumed capacity; other inputs come back unchanged. The caller's struct
// is never modified.
func withCapacity(p any) any {
	total := types.ReturnConsumedCapacityTotal
	switch v := p.(type) {
	case *dynamodb.PutItemInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.UpdateItemInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.DeleteItemInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.GetItemInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.QueryInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.ScanInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.TransactWriteItemsInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.TransactGetItemsInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.BatchGetItemInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	case *dynamodb.BatchWriteItemInput:
		c := *v
		c.ReturnConsumedCapacity = total
		return &c
	}
	return p
}

// dynamoDelta reads the capacity an answer reports, or estimates what a
// failed write consumed.
func dynamoDelta(in, out any, err error) delta {
	if err != nil {
		return delta{estWrite: failedWriteUnits(in, err)}
	}
	var d delta
	read := isRead(out)
	for _, c := range consumed(out) {
		if read {
			d.read += pick(c.ReadCapacityUnits, c.CapacityUnits)
		} else {
			d.write += pick(c.WriteCapacityUnits, c.CapacityUnits)
		}
	}
	return d
}

// pick prefers the split figure and falls back to the total (DynamoDB Local
// reports only the total).
func pick(split, total *float64) float64 {
	switch {
	case split != nil:
		return *split
	case total != nil:
		return *total
	}
	return 0
}

func isRead(out any) bool {
	switch out.(type) {
	case *dynamodb.GetItemOutput, *dynamodb.QueryOutput, *dynamodb.ScanOutput,
		*dynamodb.TransactGetItemsOutput, *dynamodb.BatchGetItemOutput:
		return true
	}
	return false
}

// consumed extracts the ConsumedCapacity of a DynamoDB output.
func consumed(out any) []types.ConsumedCapacity {
	one := func(c *types.ConsumedCapacity) []types.ConsumedCapacity {
		if c == nil {
			return nil
		}
		return []types.ConsumedCapacity{*c}
	}
	switch v := out.(type) {
	case *dynamodb.PutItemOutput:
		return one(v.ConsumedCapacity)
	case *dynamodb.UpdateItemOutput:
		return one(v.ConsumedCapacity)
	case *dynamodb.DeleteItemOutput:
		return one(v.ConsumedCapacity)
	case *dynamodb.GetItemOutput:
		return one(v.ConsumedCapacity)
	case *dynamodb.QueryOutput:
		return one(v.ConsumedCapacity)
	case *dynamodb.ScanOutput:
		return one(v.ConsumedCapacity)
	case *dynamodb.TransactWriteItemsOutput:
		return v.ConsumedCapacity
	case *dynamodb.TransactGetItemsOutput:
		return v.ConsumedCapacity
	case *dynamodb.BatchGetItemOutput:
		return v.ConsumedCapacity
	case *dynamodb.BatchWriteItemOutput:
		return v.ConsumedCapacity
	}
	return nil
}

// failedWriteUnits estimates what a write that DynamoDB refused consumed:
// one unit per item written (items are assumed at most 1 KB), two per item
// of a cancelled transaction. Other failures (throttling, network) are
// counted as none.
func failedWriteUnits(in any, err error) float64 {
	var ccf *types.ConditionalCheckFailedException
	var tc *types.TransactionCanceledException
	switch {
	case errors.As(err, &tc):
		if v, ok := in.(*dynamodb.TransactWriteItemsInput); ok {
			return 2 * float64(len(v.TransactItems))
		}
	case errors.As(err, &ccf):
		switch in.(type) {
		case *dynamodb.PutItemInput, *dynamodb.UpdateItemInput, *dynamodb.DeleteItemInput:
			return 1
		}
	}
	return 0
}
