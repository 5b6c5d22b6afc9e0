package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/obs"
	"github.com/zohosync/zohosync/shared/zoho"
)

// Connection describes an org after Connect.
type Connection struct {
	Org string
	// DataCenter is taken from the api_domain Zoho returned when it names a
	// known data centre, else the one asked for.
	DataCenter  string
	AccountsURL string
	APIDomain   string
	Expiry      time.Time
}

// Connect exchanges a self-client grant code (grant_type=authorization_code)
// for the org's refresh token and first access token, at the accounts server
// of data centre dc (or the org's AccountsURLs override), and stores them.
// It clears any re-authorise state, lease and mint hold, and starts a new
// mint count (the cap is per refresh token). clientID and clientSecret are
// resolved values; only the client id is stored.
func (s *Store) Connect(ctx context.Context, org, dc, grantCode, clientID, clientSecret string) (Connection, error) {
	if org == "" || grantCode == "" || clientID == "" || clientSecret == "" {
		return Connection{}, errors.New("auth: connect needs an org, a grant code and client credentials")
	}
	conn, err := s.resolveConnection(org, dc)
	if err != nil {
		return Connection{}, err
	}
	start := s.opt.Now()
	g, out, err := s.exchange(conn.AccountsURL, Client{ID: clientID, Secret: clientSecret}, grantCode)
	if out != minted {
		return Connection{}, fmt.Errorf("auth: exchange grant code of org %s: %w", org, err)
	}
	if g.Refresh == "" {
		return Connection{}, fmt.Errorf("auth: connect org %s: %w", org, ErrNoRefreshToken)
	}
	obs.Add(ctx, "TokenMints", obs.Count, 1, obs.Org(org))
	if name, ok := zoho.DataCenterOf(g.APIDomain); ok {
		conn.DataCenter = name
	}
	if g.APIDomain != "" {
		conn.APIDomain = g.APIDomain
	}
	conn.Expiry = start.Add(g.Lifetime)
	if err := s.putConnection(ctx, conn, g, clientID, start); err != nil {
		return Connection{}, err
	}
	s.forget(org, "")
	return conn, nil
}

// resolveConnection picks the accounts server and default API domain.
func (s *Store) resolveConnection(org, dc string) (Connection, error) {
	conn := Connection{Org: org, AccountsURL: s.opt.AccountsURLs[org]}
	if dc == "" && conn.AccountsURL != "" {
		return conn, nil
	}
	d, err := zoho.LookupDataCenter(dc)
	if err != nil {
		return Connection{}, fmt.Errorf("auth: connect org %s: %w", org, err)
	}
	conn.DataCenter, conn.APIDomain = d.Name, d.APIDomain
	if conn.AccountsURL == "" {
		conn.AccountsURL = d.AccountsURL
	}
	return conn, nil
}

func (s *Store) putConnection(ctx context.Context, c Connection, g grant, clientID string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.opt.Table),
		Key:       tokenKey(c.Org),
		UpdateExpression: aws.String("SET refresh_token = :r, access_token = :a, access_expiry = :e, minted_at = :m, " +
			"api_domain = :d, accounts_url = :u, data_center = :dc, client_id = :c, connected_at = :m, mints = :ml, " +
			"fence = if_not_exists(fence, :zero) + :one " +
			"REMOVE lease_owner, lease_until, mint_hold_until, reauth, reauth_at"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":r": sAttr(g.Refresh), ":a": sAttr(g.Access), ":e": msAttr(c.Expiry), ":m": msAttr(at),
			":d": sAttr(c.APIDomain), ":u": sAttr(c.AccountsURL), ":dc": sAttr(c.DataCenter),
			":c": sAttr(clientID), ":ml": mintsAttr([]time.Time{at}),
			":zero": nAttr(0), ":one": nAttr(1),
		},
	})
	if err != nil {
		return fmt.Errorf("auth: store connection of org %s: %w", c.Org, err)
	}
	return nil
}
