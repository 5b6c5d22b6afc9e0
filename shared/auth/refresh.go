package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/obs"
)

// writeTimeout bounds the table writes that follow a mint. They run on a
// context detached from the caller's, so a mint is recorded even when the
// caller has given up.
const writeTimeout = 10 * time.Second

// refreshHeld mints a token while holding the lease (fence it.Fence, owner)
// and records the outcome: the new token, the re-authorise state, a hold
// after Access Denied, or a mint attempt of unknown outcome. Every path
// gives the lease back.
func (s *Store) refreshHeld(ctx context.Context, org string, it *item, owner string) (core.Token, error) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	if s.opt.Clients == nil {
		s.release(wctx, org, it, owner, nil)
		return core.Token{}, fmt.Errorf("auth: org %s: no client credentials configured (Options.Clients)", org)
	}
	client, err := s.opt.Clients(ctx, org)
	if err != nil {
		s.release(wctx, org, it, owner, nil)
		return core.Token{}, fmt.Errorf("auth: client credentials of org %s: %w", org, err)
	}
	start := s.opt.Now()
	g, out, err := s.refresh(s.accountsURL(org, it.AccountsURL), client, it.Refresh)
	switch out {
	case minted:
		return s.storeGrant(wctx, org, it, owner, start, g)
	case rejected:
		s.markReauth(wctx, org, it, owner, err)
		return core.Token{}, fmt.Errorf("auth: refresh token of org %s: %w: %w", org, ErrReauthorize, err)
	case throttled:
		hold := s.opt.Now().Add(s.opt.DeniedHold)
		s.release(wctx, org, it, owner, map[string]types.AttributeValue{attrHoldUntil: msAttr(hold)})
		return core.Token{}, &MintLimitError{Org: org, NextAt: hold, Zoho: true}
	case unknown:
		mints := append(it.recentMints(start, s.opt.MintWindow), start)
		s.release(wctx, org, it, owner, map[string]types.AttributeValue{attrMints: mintsAttr(mints)})
	default:
		s.release(wctx, org, it, owner, nil)
	}
	return core.Token{}, fmt.Errorf("auth: refresh token of org %s: %w", org, err)
}

// storeGrant writes a freshly minted token, conditional on still holding
// the lease, and releases it. A refresher that lost its lease (it overran
// it) still records the mint and hands out its token, which is valid.
func (s *Store) storeGrant(ctx context.Context, org string, it *item, owner string, start time.Time, g grant) (core.Token, error) {
	obs.Add(ctx, "TokenMints", obs.Count, 1, obs.Org(org))
	if g.APIDomain == "" {
		g.APIDomain = it.APIDomain // keep the data centre's host across refreshes
	}
	tok := core.Token{Access: g.Access, APIDomain: g.APIDomain, Expiry: start.Add(g.Lifetime)}
	mints := append(it.recentMints(start, s.opt.MintWindow), start)
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.opt.Table),
		Key:       tokenKey(org),
		UpdateExpression: aws.String("SET access_token = :a, access_expiry = :e, minted_at = :m, api_domain = :d, mints = :ml " +
			"REMOVE lease_owner, lease_until, mint_hold_until, reauth, reauth_at"),
		ConditionExpression: aws.String("fence = :f AND lease_owner = :o"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":a": sAttr(tok.Access), ":e": msAttr(tok.Expiry), ":m": msAttr(start),
			":d": sAttr(g.APIDomain), ":ml": mintsAttr(mints),
			":f": nAttr(it.Fence), ":o": sAttr(owner),
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		s.appendMint(ctx, org, start)
		return tok, nil
	}
	if err != nil {
		// The token is valid; the table did not take it. Give it out and
		// let the lease expire (the mint is lost to the fleet's count).
		return tok, nil
	}
	s.mu.Lock()
	s.cache[org] = cachedToken{tok: tok, minted: start}
	s.mu.Unlock()
	return tok, nil
}

// appendMint records a mint outside the lease (the refresher overran it).
func (s *Store) appendMint(ctx context.Context, org string, at time.Time) {
	_, _ = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(s.opt.Table),
		Key:                 tokenKey(org),
		UpdateExpression:    aws.String("SET mints = list_append(if_not_exists(mints, :empty), :one)"),
		ConditionExpression: aws.String("attribute_exists(refresh_token)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":empty": &types.AttributeValueMemberL{Value: []types.AttributeValue{}},
			":one":   mintsAttr([]time.Time{at}),
		},
	})
}

// markReauth stores the re-authorise state and releases the lease. It emits
// the alarm metric ReauthorizationNeeded.
func (s *Store) markReauth(ctx context.Context, org string, it *item, owner string, cause error) {
	code := "rejected"
	var ee *EndpointError
	if errors.As(cause, &ee) && ee.Code != "" {
		code = ee.Code
	}
	obs.Add(ctx, "ReauthorizationNeeded", obs.Count, 1, obs.Org(org))
	s.release(ctx, org, it, owner, map[string]types.AttributeValue{
		attrReauth:   sAttr(code),
		attrReauthAt: msAttr(s.opt.Now()),
	})
	s.forget(org, "")
}

// release gives the lease back, setting the given attributes in the same
// conditional write. Losing the condition means another worker took the
// lease over; there is nothing to undo then.
func (s *Store) release(ctx context.Context, org string, it *item, owner string, set map[string]types.AttributeValue) {
	vals := map[string]types.AttributeValue{":f": nAttr(it.Fence), ":o": sAttr(owner)}
	names := map[string]string{}
	expr := ""
	i := 0
	for k, v := range set {
		i++
		n, p := fmt.Sprintf("#s%d", i), fmt.Sprintf(":s%d", i)
		names[n], vals[p] = k, v
		if expr == "" {
			expr = "SET "
		} else {
			expr += ", "
		}
		expr += n + " = " + p
	}
	in := &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.opt.Table),
		Key:                       tokenKey(org),
		UpdateExpression:          aws.String(expr + " REMOVE lease_owner, lease_until"),
		ConditionExpression:       aws.String("fence = :f AND lease_owner = :o"),
		ExpressionAttributeValues: vals,
	}
	if len(names) > 0 {
		in.ExpressionAttributeNames = names
	}
	_, _ = s.db.UpdateItem(ctx, in)
}
