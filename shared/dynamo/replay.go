package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ReplayMark is a dead letter marked replayed by one caller; UnmarkReplayed
// takes it to undo the mark.
type ReplayMark struct {
	ID    string
	Token string
	At    time.Time
}

// MarkReplayed marks the dead letter id replayed, once: a second mark fails
// with ErrAlreadyReplayed, so an admin replaying the same dead letter twice
// enqueues it once. Mark first, then enqueue; if the enqueue fails, undo the
// mark with UnmarkReplayed.
func (d *DeadLetters) MarkReplayed(ctx context.Context, id string) (ReplayMark, error) {
	if err := checkPart("dead letter id", id); err != nil {
		return ReplayMark{}, fmt.Errorf("mark replayed: %w", err)
	}
	now := d.t.now()
	m := ReplayMark{ID: id, Token: newToken(), At: now}
	main := &types.Update{
		TableName:        aws.String(d.t.name),
		Key:              itemKey(deadPK(id), skDeadMain),
		UpdateExpression: aws.String("SET #rat = :at, #tok = :tok"),
		ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(#rat) AND " +
			"(attribute_not_exists(#exp) OR #exp > :now)"),
		ExpressionAttributeNames: map[string]string{"#rat": attrReplayedAt, "#tok": attrReplayToken,
			"#exp": attrExpires},
		ExpressionAttributeValues:           item{":at": avTime(now), ":tok": avS(m.Token), ":now": avN(now.Unix())},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
	err := d.updateAll(ctx, id, main, "SET #rat = :at", item{":at": avTime(now)})
	if old, failed := txConditionFailed(err, 0); failed {
		if !live(old, now) {
			return ReplayMark{}, fmt.Errorf("mark replayed: %w", &NotFoundError{Kind: kindDeadLetter, Key: id})
		}
		return ReplayMark{}, fmt.Errorf("mark replayed %s: %w", id, ErrAlreadyReplayed)
	}
	if err != nil {
		return ReplayMark{}, fmt.Errorf("mark replayed %s: %w", id, err)
	}
	return m, nil
}

// UnmarkReplayed undoes a mark this caller made (after a failed enqueue).
// It fails with ErrNotHeld if the mark is no longer the caller's.
func (d *DeadLetters) UnmarkReplayed(ctx context.Context, m ReplayMark) error {
	if err := checkPart("dead letter id", m.ID); err != nil {
		return fmt.Errorf("unmark replayed: %w", err)
	}
	main := &types.Update{
		TableName:                 aws.String(d.t.name),
		Key:                       itemKey(deadPK(m.ID), skDeadMain),
		UpdateExpression:          aws.String("REMOVE #rat, #tok"),
		ConditionExpression:       aws.String("#tok = :tok"),
		ExpressionAttributeNames:  map[string]string{"#rat": attrReplayedAt, "#tok": attrReplayToken},
		ExpressionAttributeValues: item{":tok": avS(m.Token)},
	}
	err := d.updateAll(ctx, m.ID, main, "REMOVE #rat", nil)
	if _, failed := txConditionFailed(err, 0); failed {
		return fmt.Errorf("unmark replayed %s: %w", m.ID, ErrNotHeld)
	}
	if err != nil {
		return fmt.Errorf("unmark replayed %s: %w", m.ID, err)
	}
	return nil
}

// updateAll applies main to the main item and expr to the index items, in
// one transaction. The main update comes first: cancellation reason 0.
func (d *DeadLetters) updateAll(ctx context.Context, id string, main *types.Update, expr string, vals item) error {
	tx := []types.TransactWriteItem{{Update: main}}
	for _, sk := range []string{skDeadByOrg, skDeadBySource, skDeadByCode} {
		u := &types.Update{
			TableName:                aws.String(d.t.name),
			Key:                      itemKey(deadPK(id), sk),
			UpdateExpression:         aws.String(expr),
			ConditionExpression:      aws.String("attribute_exists(pk)"),
			ExpressionAttributeNames: map[string]string{"#rat": attrReplayedAt},
		}
		if len(vals) > 0 {
			u.ExpressionAttributeValues = vals
		}
		tx = append(tx, types.TransactWriteItem{Update: u})
	}
	_, err := d.t.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	return err
}
