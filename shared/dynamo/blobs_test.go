package dynamo_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
	"github.com/zohosync/zohosync/shared/core"
	"github.com/zohosync/zohosync/shared/dynamo"
)

// largeWebhook is the 315 KB Shopify order from the shared fixtures.
func largeWebhook(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "webhooks", "shopify", "orders-create-large-over-256kb.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noise returns n incompressible bytes.
func noise(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestBlobRoundTrip(t *testing.T) {
	ctx := context.Background()
	b := mustTable(t, newClock(), dynamo.Options{}).Blobs()
	tests := []struct {
		name  string
		data  []byte
		parts int
	}{
		{"empty", []byte{}, 1},
		{"small", []byte(`{"id":1}`), 1},
		{"315 KB webhook", largeWebhook(t), 1},
		{"1.2 MB incompressible", noise(1_200_000, 1), 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := uniq("blob")
			if err := b.PutBlob(ctx, key, tt.data); err != nil {
				t.Fatalf("PutBlob: %v", err)
			}
			got, err := b.GetBlob(ctx, key)
			if err != nil {
				t.Fatalf("GetBlob: %v", err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Fatalf("got %d bytes, want %d identical bytes", len(got), len(tt.data))
			}
			if n := countItems(t, "blob#"+key, "part#"); n != tt.parts {
				t.Errorf("stored %d parts, want %d", n, tt.parts)
			}
		})
	}
}

// countItems counts the items of partition pk whose sort key starts with
// prefix (any sort key when prefix is empty).
func countItems(t testing.TB, pk, prefix string) int {
	t.Helper()
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(tableName),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		Select:                    types.SelectCount,
	}
	if prefix != "" {
		in.KeyConditionExpression = aws.String("pk = :pk AND begins_with(sk, :p)")
		in.ExpressionAttributeValues[":p"] = &types.AttributeValueMemberS{Value: prefix}
	}
	n := 0
	for {
		out, err := emutest.Dynamo(t).Query(context.Background(), in)
		if err != nil {
			t.Fatalf("count items: %v", err)
		}
		n += int(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			return n
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

func TestBlobMissingAndExpired(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	b := mustTable(t, clk, dynamo.Options{BlobTTL: time.Hour}).Blobs()
	key := uniq("blob")
	if _, err := b.GetBlob(ctx, key); !errors.Is(err, core.ErrBlobNotFound) || !errors.Is(err, dynamo.ErrNotFound) {
		t.Fatalf("missing blob: err = %v, want core.ErrBlobNotFound and ErrNotFound", err)
	}
	if err := b.PutBlob(ctx, key, []byte("body")); err != nil {
		t.Fatal(err)
	}
	clk.Advance(59 * time.Minute)
	if _, err := b.GetBlob(ctx, key); err != nil {
		t.Fatalf("within TTL: %v", err)
	}
	clk.Advance(2 * time.Minute)
	if _, err := b.GetBlob(ctx, key); !errors.Is(err, core.ErrBlobNotFound) {
		t.Fatalf("past TTL (item still in DynamoDB Local): err = %v, want ErrBlobNotFound", err)
	}
	if err := b.Keep(ctx, key, clk.Now().Add(time.Hour)); !errors.Is(err, dynamo.ErrNotFound) {
		t.Errorf("Keep of an expired blob: err = %v, want ErrNotFound", err)
	}
	if err := b.PutBlob(ctx, key, []byte("body")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetBlob(ctx, key); err != nil {
		t.Errorf("rewritten after expiry: %v", err)
	}
}

func TestBlobKeep(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	b := mustTable(t, clk, dynamo.Options{}).Blobs()
	data := noise(800_000, 2) // three parts: Keep must extend them all
	tests := []struct {
		name    string
		keepFor time.Duration
		forever bool
		check   time.Duration // read after this long
		wantErr error
	}{
		{name: "not kept", keepFor: 0, check: dynamo.DefaultBlobTTL + time.Hour, wantErr: core.ErrBlobNotFound},
		{name: "kept 60 days", keepFor: 60 * 24 * time.Hour, check: 59 * 24 * time.Hour},
		{name: "kept 60 days, read after", keepFor: 60 * 24 * time.Hour, check: 61 * 24 * time.Hour, wantErr: core.ErrBlobNotFound},
		{name: "shorter keep is ignored", keepFor: time.Hour, check: dynamo.DefaultBlobTTL - time.Hour},
		{name: "forever", forever: true, check: 10 * 365 * 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := clk.Now()
			defer func() { clk.Advance(start.Sub(clk.Now())) }()
			key := uniq("blob")
			if err := b.PutBlob(ctx, key, data); err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.forever:
				if err := b.Keep(ctx, key, time.Time{}); err != nil {
					t.Fatalf("Keep: %v", err)
				}
			case tt.keepFor > 0:
				if err := b.Keep(ctx, key, start.Add(tt.keepFor)); err != nil {
					t.Fatalf("Keep: %v", err)
				}
			}
			// Storing the same content again must not shorten a kept blob.
			if err := b.PutBlob(ctx, key, data); err != nil {
				t.Fatal(err)
			}
			clk.Advance(tt.check)
			got, err := b.GetBlob(ctx, key)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("GetBlob after %v: err = %v, want %v", tt.check, err, tt.wantErr)
			}
			if err == nil && !bytes.Equal(got, data) {
				t.Errorf("content changed")
			}
		})
	}
}

func TestBlobOverwriteWithOtherContent(t *testing.T) {
	ctx := context.Background()
	b := mustTable(t, newClock(), dynamo.Options{}).Blobs()
	key := uniq("blob")
	first, second := noise(700_000, 3), []byte("short replacement")
	for _, data := range [][]byte{first, second} {
		if err := b.PutBlob(ctx, key, data); err != nil {
			t.Fatal(err)
		}
		got, err := b.GetBlob(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("got %d bytes, want the %d just written", len(got), len(data))
		}
	}
}

func TestBlobCorruption(t *testing.T) {
	ctx := context.Background()
	ddb := emutest.Dynamo(t)
	tests := []struct {
		name   string
		tamper func(pk string, parts []string) *dynamodb.UpdateItemInput
	}{
		{"part bytes changed", func(pk string, parts []string) *dynamodb.UpdateItemInput {
			return update(pk, parts[1], "SET #a = :v", "data", &types.AttributeValueMemberB{Value: []byte("garbage")})
		}},
		{"recorded hash changed", func(pk string, parts []string) *dynamodb.UpdateItemInput {
			return update(pk, "meta", "SET #a = :v", "sha256", &types.AttributeValueMemberS{Value: "00"})
		}},
		{"recorded size changed", func(pk string, parts []string) *dynamodb.UpdateItemInput {
			return update(pk, "meta", "SET #a = :v", "size", &types.AttributeValueMemberN{Value: "5"})
		}},
		{"part missing", func(pk string, parts []string) *dynamodb.UpdateItemInput {
			return update(pk, "meta", "SET #a = :v", "parts", &types.AttributeValueMemberN{Value: "9"})
		}},
	}
	b := mustTable(t, newClock(), dynamo.Options{}).Blobs()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := uniq("blob")
			if err := b.PutBlob(ctx, key, noise(500_000, 4)); err != nil {
				t.Fatal(err)
			}
			pk := "blob#" + key
			parts := partKeys(t, pk)
			if len(parts) != 2 {
				t.Fatalf("%d parts, want 2", len(parts))
			}
			if _, err := ddb.UpdateItem(ctx, tt.tamper(pk, parts)); err != nil {
				t.Fatal(err)
			}
			if _, err := b.GetBlob(ctx, key); !errors.Is(err, dynamo.ErrCorrupt) {
				t.Errorf("err = %v, want ErrCorrupt", err)
			}
		})
	}
}

func update(pk, sk, expr, attr string, v types.AttributeValue) *dynamodb.UpdateItemInput {
	return &dynamodb.UpdateItemInput{
		TableName: aws.String(tableName),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk},
			"sk": &types.AttributeValueMemberS{Value: sk}},
		UpdateExpression:          aws.String(expr),
		ExpressionAttributeNames:  map[string]string{"#a": attr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": v},
	}
}

// partKeys lists the sort keys of a blob's parts.
func partKeys(t testing.TB, pk string) []string {
	t.Helper()
	out, err := emutest.Dynamo(t).Query(context.Background(), &dynamodb.QueryInput{
		TableName:              aws.String(tableName),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":p": &types.AttributeValueMemberS{Value: "part#"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var sks []string
	for _, it := range out.Items {
		sks = append(sks, it["sk"].(*types.AttributeValueMemberS).Value)
	}
	return sks
}

func TestBlobDeleteAndInvalid(t *testing.T) {
	ctx := context.Background()
	b := mustTable(t, newClock(), dynamo.Options{}).Blobs()
	key := uniq("blob")
	if err := b.PutBlob(ctx, key, noise(400_000, 5)); err != nil {
		t.Fatal(err)
	}
	if err := b.DeleteBlob(ctx, key); err != nil {
		t.Fatalf("DeleteBlob: %v", err)
	}
	if n := countItems(t, "blob#"+key, ""); n != 0 {
		t.Errorf("%d items left after delete", n)
	}
	if _, err := b.GetBlob(ctx, key); !errors.Is(err, core.ErrBlobNotFound) {
		t.Errorf("after delete: err = %v", err)
	}
	if err := b.DeleteBlob(ctx, key); err != nil {
		t.Errorf("deleting again: %v", err)
	}
	if err := b.PutBlob(ctx, "", []byte("x")); !errors.Is(err, dynamo.ErrInvalid) {
		t.Errorf("empty key: err = %v, want ErrInvalid", err)
	}
	if err := b.PutBlob(ctx, key, make([]byte, dynamo.MaxBlobSize+1)); !errors.Is(err, dynamo.ErrTooLarge) {
		t.Errorf("oversize: err = %v, want ErrTooLarge", err)
	}
}
