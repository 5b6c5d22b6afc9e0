package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
)

// Blob meta attributes.
const (
	attrData   = "data"
	attrSize   = "size"
	attrSHA256 = "sha256"
	attrGen    = "gen"
	attrZSize  = "zsize"
	attrParts  = "parts"
	attrCreate = "created_at"
)

// Blobs stores bodies too large for a queue message; it implements
// core.Blobs. A blob is gzip-compressed and cut into parts below DynamoDB's
// item limit: blob#<key> / part#<gen>#0000, … plus blob#<key> / meta, written
// last, holding the length and SHA-256 that every read verifies. <gen> is a
// prefix of the content's SHA-256, so rewriting a key with other content
// never mixes parts.
//
// Writes only ever extend a blob's life: storing the same content again, or
// Keep with an earlier time, never shortens a retention that a dead letter
// asked for. Blobs is safe for concurrent use.
type Blobs struct{ t *Table }

var _ core.Blobs = (*Blobs)(nil)

// PutBlob stores data under key for the table's BlobTTL.
func (b *Blobs) PutBlob(ctx context.Context, key string, data []byte) error {
	return b.PutBlobUntil(ctx, key, data, b.t.now().Add(b.t.opt.BlobTTL))
}

// PutBlobUntil stores data under key until the given time; zero keeps it
// until deleted.
func (b *Blobs) PutBlobUntil(ctx context.Context, key string, data []byte, until time.Time) error {
	if err := checkPart("blob key", key); err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	m, parts, err := encodeBlob(data, partSize)
	if err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	pk := blobPK(key)
	for i, p := range parts {
		it := item{attrPK: avS(pk), attrSK: avS(partSK(m.Gen, i)), attrKind: avS(kindBlobPart), attrData: avB(p)}
		if err := b.putExtending(ctx, it, until, ""); err != nil {
			return fmt.Errorf("put blob %s part %d: %w", key, i, err)
		}
	}
	meta := item{
		attrPK: avS(pk), attrSK: avS(skBlobMeta), attrKind: avS(kindBlob),
		attrSize: avN(int64(m.Size)), attrSHA256: avS(m.SHA256), attrGen: avS(m.Gen),
		attrZSize: avN(int64(m.ZSize)), attrParts: avN(int64(m.Parts)), attrCreate: avTime(b.t.now()),
	}
	if err := b.putExtending(ctx, meta, until, m.Gen); err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	return nil
}

// putExtending writes it with expiry until, unless the stored item of the
// same content already lives at least as long. A non-empty gen also lets a
// different generation (other content) replace the item.
func (b *Blobs) putExtending(ctx context.Context, it item, until time.Time, gen string) error {
	names := map[string]string{"#exp": attrExpires}
	vals := item{}
	cond := "attribute_not_exists(pk) OR attribute_exists(#exp)"
	if exp, ok := expiryAttr(until); ok {
		it[attrExpires] = exp
		vals[":exp"] = exp
		cond = "attribute_not_exists(pk) OR #exp < :exp"
	}
	if gen != "" {
		names["#gen"] = attrGen
		vals[":gen"] = avS(gen)
		cond += " OR #gen <> :gen"
	}
	in := &dynamodb.PutItemInput{TableName: aws.String(b.t.name), Item: it,
		ConditionExpression: aws.String(cond), ExpressionAttributeNames: names}
	if len(vals) > 0 {
		in.ExpressionAttributeValues = vals
	}
	_, err := b.t.api.PutItem(ctx, in)
	if _, failed := conditionFailed(err); failed {
		return nil // already stored, living at least as long
	}
	return err
}

// GetBlob reads, decompresses and verifies the blob under key, in one
// consistent query for blobs up to about 1 MB compressed. A missing or
// expired blob is a *NotFoundError (matching core.ErrBlobNotFound); a damaged
// one wraps ErrCorrupt.
func (b *Blobs) GetBlob(ctx context.Context, key string) ([]byte, error) {
	if err := checkPart("blob key", key); err != nil {
		return nil, fmt.Errorf("get blob: %w", err)
	}
	items, err := b.t.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(b.t.name),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: item{":pk": avS(blobPK(key))},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", key, err)
	}
	if len(items) == 0 || getS(items[0], attrSK) != skBlobMeta || !live(items[0], b.t.now()) {
		return nil, fmt.Errorf("get blob: %w", &NotFoundError{Kind: kindBlob, Key: key})
	}
	m, err := parseBlobMeta(items[0])
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", key, err)
	}
	data, err := decodeBlob(m, blobParts(items[1:], m.Gen))
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", key, err)
	}
	return data, nil
}

// blobParts picks generation gen's parts, in order, stopping at a gap.
func blobParts(items []item, gen string) [][]byte {
	var parts [][]byte
	for _, it := range items {
		sk := getS(it, attrSK)
		if !strings.HasPrefix(sk, prefixBlobPart+gen+"#") {
			continue
		}
		if sk != partSK(gen, len(parts)) {
			break
		}
		parts = append(parts, getB(it, attrData))
	}
	return parts
}

func parseBlobMeta(it item) (blobMeta, error) {
	m := blobMeta{SHA256: getS(it, attrSHA256), Gen: getS(it, attrGen)}
	size, ok1 := getN(it, attrSize)
	zsize, ok2 := getN(it, attrZSize)
	parts, ok3 := getN(it, attrParts)
	if !ok1 || !ok2 || !ok3 || m.SHA256 == "" || m.Gen == "" || parts < 1 || size < 0 || size > MaxBlobSize {
		return blobMeta{}, fmt.Errorf("%w: unreadable blob meta", ErrCorrupt)
	}
	m.Size, m.ZSize, m.Parts = int(size), int(zsize), int(parts)
	return m, nil
}

// Keep makes the blob under key live at least until the given time (zero:
// until deleted), for a dead letter that still needs it. It never shortens
// a blob's life.
func (b *Blobs) Keep(ctx context.Context, key string, until time.Time) error {
	if err := checkPart("blob key", key); err != nil {
		return fmt.Errorf("keep blob: %w", err)
	}
	pk := blobPK(key)
	out, err := b.t.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(b.t.name),
		Key: itemKey(pk, skBlobMeta), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("keep blob %s: %w", key, err)
	}
	if !live(out.Item, b.t.now()) {
		return fmt.Errorf("keep blob: %w", &NotFoundError{Kind: kindBlob, Key: key})
	}
	m, err := parseBlobMeta(out.Item)
	if err != nil {
		return fmt.Errorf("keep blob %s: %w", key, err)
	}
	for i := 0; i < m.Parts; i++ {
		found, err := b.extend(ctx, itemKey(pk, partSK(m.Gen, i)), until, "")
		if err != nil {
			return fmt.Errorf("keep blob %s part %d: %w", key, i, err)
		}
		if !found {
			return fmt.Errorf("keep blob %s: %w: part %d missing", key, ErrCorrupt, i)
		}
	}
	found, err := b.extend(ctx, itemKey(pk, skBlobMeta), until, m.Gen)
	if err != nil {
		return fmt.Errorf("keep blob %s: %w", key, err)
	}
	if !found {
		return fmt.Errorf("keep blob: %w", &NotFoundError{Kind: kindBlob, Key: key})
	}
	return nil
}

// extend moves an item's expiry to until if that is later (zero: removes
// it). It reports whether the item (of generation gen, when given) exists.
func (b *Blobs) extend(ctx context.Context, k item, until time.Time, gen string) (bool, error) {
	in := &dynamodb.UpdateItemInput{TableName: aws.String(b.t.name), Key: k,
		ExpressionAttributeNames:            map[string]string{"#exp": attrExpires},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}
	vals := item{}
	cond := "attribute_exists(pk)"
	if exp, ok := expiryAttr(until); ok {
		in.UpdateExpression = aws.String("SET #exp = :exp")
		vals[":exp"] = exp
		cond += " AND #exp < :exp"
	} else {
		in.UpdateExpression = aws.String("REMOVE #exp")
	}
	if gen != "" {
		in.ExpressionAttributeNames["#gen"] = attrGen
		vals[":gen"] = avS(gen)
		cond += " AND #gen = :gen"
	}
	in.ConditionExpression = aws.String(cond)
	if len(vals) > 0 {
		in.ExpressionAttributeValues = vals
	}
	_, err := b.t.api.UpdateItem(ctx, in)
	if err == nil {
		return true, nil
	}
	old, failed := conditionFailed(err)
	if !failed {
		return false, err
	}
	// Present (with a later expiry or none) is fine; absent or replaced is not.
	return len(old) > 0 && (gen == "" || getS(old, attrGen) == gen), nil
}

// DeleteBlob removes every item of the blob under key. Deleting a missing
// blob is not an error.
func (b *Blobs) DeleteBlob(ctx context.Context, key string) error {
	if err := checkPart("blob key", key); err != nil {
		return fmt.Errorf("delete blob: %w", err)
	}
	pk := blobPK(key)
	items, err := b.t.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(b.t.name),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: item{":pk": avS(pk)},
		ProjectionExpression:      aws.String("pk, sk"),
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	for _, it := range items {
		_, err := b.t.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(b.t.name),
			Key: itemKey(pk, getS(it, attrSK))})
		if err != nil {
			return fmt.Errorf("delete blob %s: %w", key, err)
		}
	}
	return nil
}
