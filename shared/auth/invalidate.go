package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Invalidate marks exactly the access token access as dead after Zoho
// answered 401 to it: the stored token's expiry is cleared only while the
// stored token is still that one, so the next Token call refreshes once and
// a newer token stored by another worker is left alone. It also drops the
// token from this Store's cache.
func (s *Store) Invalidate(ctx context.Context, org, access string) error {
	s.forget(org, access)
	if access == "" {
		return nil
	}
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(s.opt.Table),
		Key:                 tokenKey(org),
		UpdateExpression:    aws.String("SET access_expiry = :zero"),
		ConditionExpression: aws.String("access_token = :a"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":zero": nAttr(0),
			":a":    sAttr(access),
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return nil // a newer token (or none) is stored: leave it
	}
	if err != nil {
		return fmt.Errorf("auth: invalidate token of org %s: %w", org, err)
	}
	return nil
}
