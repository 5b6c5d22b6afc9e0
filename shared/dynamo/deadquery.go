package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Page sizes of List.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
	// maxPageRequests bounds the queries one List call makes when filters
	// reject most items; the page then comes back short, with a cursor.
	maxPageRequests = 20
)

// Query selects dead letters, newest first. Set Org, or Org and Code, or
// Source (optionally with Org and Code, which then filter).
type Query struct {
	Org    string
	Source string
	Code   string
	// From (inclusive) and To (exclusive) bound the dead letters' At; zero
	// means unbounded.
	From, To time.Time
	// Pending keeps only dead letters not yet marked replayed.
	Pending bool
	// Limit is the page size: DefaultPageSize when 0, at most MaxPageSize.
	Limit int
	// Cursor continues from a previous Page.Next.
	Cursor string
}

// Page is one page of a listing. A page may hold fewer than Limit items
// while more follow: keep reading while Next is not empty.
type Page struct {
	Items []Summary
	Next  string
}

// List returns one page of the dead letters q selects. Listings read the
// global secondary index, which DynamoDB updates eventually: a dead letter
// written a moment ago may not show yet.
func (d *DeadLetters) List(ctx context.Context, q Query) (Page, error) {
	in, err := listInput(d.t.name, q, d.t.now())
	if err != nil {
		return Page{}, fmt.Errorf("list dead letters: %w", err)
	}
	limit := pageSize(q.Limit)
	var page Page
	for range maxPageRequests {
		in.Limit = aws.Int32(int32(limit - len(page.Items)))
		out, err := d.t.api.Query(ctx, in)
		if err != nil {
			return Page{}, fmt.Errorf("list dead letters: %w", err)
		}
		for _, it := range out.Items {
			page.Items = append(page.Items, parseSummary(it))
		}
		if len(out.LastEvaluatedKey) == 0 {
			return page, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
		if len(page.Items) >= limit {
			break
		}
	}
	page.Next, err = encodeCursor(in.ExclusiveStartKey)
	if err != nil {
		return Page{}, fmt.Errorf("list dead letters: %w", err)
	}
	return page, nil
}

func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// listInput builds the index query for q: which gsi1 partition, the time
// range on gsi1sk, and the filters.
func listInput(table string, q Query, now time.Time) (*dynamodb.QueryInput, error) {
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return nil, fmt.Errorf("%w: empty time range", ErrInvalid)
	}
	vals := item{":now": avN(now.Unix())}
	names := map[string]string{"#exp": attrExpires}
	pk, filters, err := partition(q, names, vals)
	if err != nil {
		return nil, err
	}
	filters = append(filters, "(attribute_not_exists(#exp) OR #exp > :now)")
	if q.Pending {
		names["#rat"] = attrReplayedAt
		filters = append(filters, "attribute_not_exists(#rat)")
	}
	vals[":pk"] = avS(pk)
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		IndexName:                 aws.String(gsiName),
		KeyConditionExpression:    aws.String("gsi1pk = :pk" + timeRange(q.From, q.To, vals)),
		FilterExpression:          aws.String(strings.Join(filters, " AND ")),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: vals,
		ScanIndexForward:          aws.Bool(false),
	}
	if q.Cursor != "" {
		start, err := decodeCursor(q.Cursor, pk)
		if err != nil {
			return nil, err
		}
		in.ExclusiveStartKey = start
	}
	return in, nil
}

// partition picks the gsi1 partition for q and, for a source listing, the
// org and code filters (adding their names and values).
func partition(q Query, names map[string]string, vals item) (string, []string, error) {
	switch {
	case q.Source != "":
		var filters []string
		for _, f := range []struct{ attr, v string }{{attrOrg, q.Org}, {attrCode, q.Code}} {
			if f.v != "" {
				names["#"+f.attr], vals[":"+f.attr] = f.attr, avS(f.v)
				filters = append(filters, "#"+f.attr+" = :"+f.attr)
			}
		}
		return deadSrcPK(q.Source), filters, nil
	case q.Org != "" && q.Code != "":
		return deadCodePK(q.Org, q.Code), nil, nil
	case q.Org != "":
		return deadOrgPK(q.Org), nil, nil
	}
	return "", nil, fmt.Errorf("%w: a query needs an org or a source", ErrInvalid)
}

// timeRange returns the gsi1sk condition for [from, to). Sort keys are
// "<time>#<id>", and "#" sorts below every digit, so "<to>" itself is below
// every key at time to, and "<from>" below every key at time from.
func timeRange(from, to time.Time, vals item) string {
	switch {
	case !from.IsZero() && !to.IsZero():
		vals[":from"], vals[":to"] = avS(sortTime(from)), avS(sortTime(to))
		return " AND gsi1sk BETWEEN :from AND :to"
	case !from.IsZero():
		vals[":from"] = avS(sortTime(from))
		return " AND gsi1sk >= :from"
	case !to.IsZero():
		vals[":to"] = avS(sortTime(to))
		return " AND gsi1sk < :to"
	}
	return ""
}

func parseSummary(it item) Summary {
	s := Summary{
		ID: getS(it, attrID), Org: getS(it, attrOrg), Source: getS(it, attrSource),
		EventID: getS(it, attrEventID), Op: getS(it, attrOpID), Module: getS(it, attrModule),
		Route: getS(it, attrRoute), Code: getS(it, attrCode), Message: getS(it, attrMessage),
		At: getTime(it, attrAt), FirstAt: getTime(it, attrFirstAt), ReplayedAt: getTime(it, attrReplayedAt),
	}
	if n, ok := getN(it, attrAttempts); ok {
		s.Attempts = int(n)
	}
	if exp, ok := getN(it, attrExpires); ok {
		s.ExpiresAt = time.Unix(exp, 0).UTC()
	}
	return s
}

// cursor is a listing position: the index query's LastEvaluatedKey.
type cursor struct {
	PK    string `json:"pk"`
	SK    string `json:"sk"`
	GSIPK string `json:"gpk"`
	GSISK string `json:"gsk"`
}

func encodeCursor(k item) (string, error) {
	c := cursor{PK: getS(k, attrPK), SK: getS(k, attrSK), GSIPK: getS(k, attrGSIPK), GSISK: getS(k, attrGSISK)}
	if c.PK == "" || c.SK == "" || c.GSIPK == "" || c.GSISK == "" {
		return "", fmt.Errorf("unexpected last evaluated key with %d attributes", len(k))
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// decodeCursor parses a cursor and checks that it belongs to partition pk.
func decodeCursor(s, pk string) (item, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: cursor is not base64url", ErrInvalid)
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%w: cursor is not a listing position", ErrInvalid)
	}
	if c.GSIPK != pk || !strings.HasPrefix(c.PK, prefixDeadPK) || c.SK == "" || c.GSISK == "" {
		return nil, fmt.Errorf("%w: cursor belongs to another listing", ErrInvalid)
	}
	return item{attrPK: avS(c.PK), attrSK: avS(c.SK), attrGSIPK: avS(c.GSIPK), attrGSISK: avS(c.GSISK)}, nil
}

// Tally counts dead letters: all of them, and those not yet replayed.
type Tally struct {
	Total   int
	Pending int
}

// Counts summarises an org's dead letters for a status report.
type Counts struct {
	Tally
	// ByCode tallies per Zoho (or zohosync) code.
	ByCode map[string]Tally
	// OldestPending is the At of the oldest dead letter not yet replayed.
	OldestPending time.Time
}

// Counts tallies the org's live dead letters written at or after since (zero:
// all). It reads the org's index items (a few hundred bytes each) page by
// page, so it is exact, never drifts, and costs nothing on the write path.
func (d *DeadLetters) Counts(ctx context.Context, org string, since time.Time) (Counts, error) {
	q := Query{Org: org, From: since}
	in, err := listInput(d.t.name, q, d.t.now())
	if err != nil {
		return Counts{}, fmt.Errorf("count dead letters: %w", err)
	}
	in.ProjectionExpression = aws.String("#code, #at, #rat")
	in.ExpressionAttributeNames["#code"] = attrCode
	in.ExpressionAttributeNames["#at"] = attrAt
	in.ExpressionAttributeNames["#rat"] = attrReplayedAt
	items, err := d.t.queryAll(ctx, in)
	if err != nil {
		return Counts{}, fmt.Errorf("count dead letters: %w", err)
	}
	return tally(items), nil
}

func tally(items []item) Counts {
	c := Counts{ByCode: map[string]Tally{}}
	for _, it := range items {
		code := getS(it, attrCode)
		t := c.ByCode[code]
		t.Total++
		c.Total++
		if _, replayed := it[attrReplayedAt]; !replayed {
			t.Pending++
			c.Pending++
			if at := getTime(it, attrAt); c.OldestPending.IsZero() || at.Before(c.OldestPending) {
				c.OldestPending = at
			}
		}
		c.ByCode[code] = t
	}
	return c
}
