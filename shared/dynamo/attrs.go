package dynamo

import (
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// item is one DynamoDB item.
type item = map[string]types.AttributeValue

// Attribute names shared by every item kind of this package.
const (
	attrPK      = "pk"
	attrSK      = "sk"
	attrGSIPK   = "gsi1pk"
	attrGSISK   = "gsi1sk"
	attrKind    = "kind"
	attrExpires = "expires_at"
	gsiName     = "gsi1"
)

func avS(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func avN(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

func avB(v []byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: v} }

func avTime(t time.Time) types.AttributeValue { return avS(t.UTC().Format(time.RFC3339Nano)) }

func itemKey(pk, sk string) item { return item{attrPK: avS(pk), attrSK: avS(sk)} }

// getS returns a string attribute, or "" when absent or of another type.
func getS(it item, name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// getN returns a number attribute that holds an integer.
func getN(it item, name string) (int64, bool) {
	v, ok := it[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v.Value, 10, 64)
	return n, err == nil
}

// getB returns a binary attribute.
func getB(it item, name string) []byte {
	if v, ok := it[name].(*types.AttributeValueMemberB); ok {
		return v.Value
	}
	return nil
}

// getTime parses an RFC 3339 string attribute; zero when absent or unparsable.
func getTime(it item, name string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, getS(it, name))
	if err != nil {
		return time.Time{}
	}
	return t
}

// live reports whether an item is present and not past its expires_at.
// DynamoDB deletes expired items late (DynamoDB Local never), so every read
// filters on it.
func live(it item, now time.Time) bool {
	if len(it) == 0 {
		return false
	}
	exp, ok := getN(it, attrExpires)
	return !ok || exp > now.Unix()
}

// expiryAttr returns the expires_at value for t; zero t means no expiry.
func expiryAttr(t time.Time) (types.AttributeValue, bool) {
	if t.IsZero() {
		return nil, false
	}
	return avN(t.Unix()), true
}

// conditionFailed reports whether err is a failed condition of a single-item
// write, returning the old item when DynamoDB sent it.
func conditionFailed(err error) (item, bool) {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return ccf.Item, true
	}
	return nil, false
}

// txConditionFailed reports whether a transaction was cancelled because the
// condition of its item i failed, returning that item's old value if sent.
func txConditionFailed(err error, i int) (item, bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || i >= len(tce.CancellationReasons) {
		return nil, false
	}
	r := tce.CancellationReasons[i]
	if r.Code == nil || *r.Code != "ConditionalCheckFailed" {
		return nil, false
	}
	return r.Item, true
}
