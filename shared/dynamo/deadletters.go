package dynamo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/zohosync/zohosync/shared/core"
)

// Dead letter attributes. The summary ones are on every item of a dead
// letter; doc, doc_ref and body_lost only on the main item.
const (
	attrID          = "id"
	attrOrg         = "org"
	attrSource      = "source"
	attrEventID     = "event_id"
	attrOpID        = "op"
	attrModule      = "module"
	attrRoute       = "route"
	attrCode        = "code"
	attrMessage     = "message"
	attrAttempts    = "attempts"
	attrAt          = "at"
	attrFirstAt     = "first_at"
	attrReplayedAt  = "replayed_at"
	attrReplayToken = "replay_token"
	attrDoc         = "doc"
	attrDocRef      = "doc_ref"
	attrBodyLost    = "body_lost"
)

const (
	// maxSummaryMessage bounds the copy of Zoho's message in the summary
	// attributes; the full text is in the document.
	maxSummaryMessage = 512
	// maxInlineDoc is the largest compressed document kept in the main item;
	// a larger one goes to a blob.
	maxInlineDoc = 300_000
	// maxDocSize bounds a decompressed document.
	maxDocSize = 64 << 20
)

// DeadLetters stores the records zohosync gave up on; it implements
// core.DeadLetters and adds lookups, listings, counts and replay marks.
//
// A dead letter is four items under pk dl#<id>: the main item (sk "dl") with
// the whole core.DeadLetter as gzip-compressed JSON, and three small index
// items (sk by#org, by#source, by#code) that carry only summary attributes
// and the gsi1 keys the listings query. All four are written in one
// transaction. DeadLetters is safe for concurrent use.
type DeadLetters struct{ t *Table }

var _ core.DeadLetters = (*DeadLetters)(nil)

// Summary is a dead letter as listings show it.
type Summary struct {
	ID       string
	Org      string
	Source   string
	EventID  string
	Op       string // operation id; empty for a whole-event failure
	Module   string
	Route    string
	Code     string
	Message  string // at most 512 bytes; Get has the full text
	Attempts int
	At       time.Time
	FirstAt  time.Time
	// ReplayedAt is when an admin replay was marked; zero if never.
	ReplayedAt time.Time
	// ExpiresAt is when the dead letter is dropped; zero if never.
	ExpiresAt time.Time
}

// Record is a stored dead letter with its replay state.
type Record struct {
	core.DeadLetter
	ReplayedAt time.Time
	ExpiresAt  time.Time
	// BodyLost reports that the envelope's out-of-band body (BodyRef) was
	// already gone when the dead letter was written.
	BodyLost bool
}

// Put stores dl unless it is stored already. It sets dl.ID from the source,
// event id and operation id (see DeadLetterID) and dl.At, when zero, to now;
// writing the same operation of the same event again is a no-op, unless the
// stored dead letter was marked replayed since: then the new failure
// replaces it and is pending again. When the
// envelope's body is out of band, Put keeps that blob as long as the dead
// letter.
func (d *DeadLetters) Put(ctx context.Context, dl *core.DeadLetter) error {
	if err := checkDeadLetter(dl); err != nil {
		return fmt.Errorf("put dead letter: %w", err)
	}
	now := d.t.now()
	dl.ID = DeadLetterID(dl.Source, dl.EventID, opID(dl.Op))
	if dl.At.IsZero() {
		dl.At = now
	}
	until := d.t.deadLetterExpiry(now)
	lost, err := d.keepBody(ctx, dl, until)
	if err != nil {
		return fmt.Errorf("put dead letter %s: %w", dl.ID, err)
	}
	main, err := d.mainItem(ctx, dl, until, lost)
	if err != nil {
		return fmt.Errorf("put dead letter %s: %w", dl.ID, err)
	}
	if err := d.write(ctx, dl, main, until, now); err != nil {
		return fmt.Errorf("put dead letter %s: %w", dl.ID, err)
	}
	return nil
}

// write puts the main and index items in one transaction; an existing live
// dead letter wins unless it was marked replayed. A replayed event that
// fails again gets the same id, and its new failure must be pending again:
// kept as "written before", it would be neither in Zoho nor replayable.
func (d *DeadLetters) write(ctx context.Context, dl *core.DeadLetter, main item, until, now time.Time) error {
	tx := []types.TransactWriteItem{{Put: &types.Put{
		TableName:                 aws.String(d.t.name),
		Item:                      main,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR #exp <= :now OR attribute_exists(#rat)"),
		ExpressionAttributeNames:  map[string]string{"#exp": attrExpires, "#rat": attrReplayedAt},
		ExpressionAttributeValues: item{":now": avN(now.Unix())},
	}}}
	for _, ix := range indexKeys(dl) {
		it := summaryItem(dl, until)
		it[attrPK], it[attrSK] = avS(deadPK(dl.ID)), avS(ix.sk)
		it[attrGSIPK], it[attrGSISK] = avS(ix.gsipk), avS(deadSortKey(dl.At, dl.ID))
		it[attrKind] = avS(kindDeadIndex)
		tx = append(tx, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(d.t.name), Item: it}})
	}
	_, err := d.t.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	if _, failed := txConditionFailed(err, 0); failed {
		return nil // written before: a redelivered batch
	}
	if err != nil {
		return fmt.Errorf("write items: %w", err)
	}
	return nil
}

type indexKey struct{ sk, gsipk string }

// indexKeys lists a dead letter's index items and the gsi1 partition each
// one joins.
func indexKeys(dl *core.DeadLetter) []indexKey {
	return []indexKey{
		{skDeadByOrg, deadOrgPK(dl.Org)},
		{skDeadBySource, deadSrcPK(dl.Source)},
		{skDeadByCode, deadCodePK(dl.Org, dl.Code)},
	}
}

// keepBody extends the life of the envelope's out-of-band body to the dead
// letter's. It reports a body that is already gone.
func (d *DeadLetters) keepBody(ctx context.Context, dl *core.DeadLetter, until time.Time) (lost bool, err error) {
	if dl.Envelope.BodyRef == "" {
		return false, nil
	}
	err = d.t.blobs.Keep(ctx, dl.Envelope.BodyRef, until)
	if errors.Is(err, ErrNotFound) {
		return true, nil
	}
	return false, err
}

// mainItem builds the main item, moving a document too large for it to a
// blob.
func (d *DeadLetters) mainItem(ctx context.Context, dl *core.DeadLetter, until time.Time, lost bool) (item, error) {
	doc, err := encodeJSON(dl)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	it := summaryItem(dl, until)
	it[attrPK], it[attrSK], it[attrKind] = avS(deadPK(dl.ID)), avS(skDeadMain), avS(kindDeadLetter)
	if lost {
		it[attrBodyLost] = &types.AttributeValueMemberBOOL{Value: true}
	}
	z, err := compress(doc)
	if err != nil {
		return nil, err
	}
	if len(z) <= maxInlineDoc {
		it[attrDoc] = avB(z)
		return it, nil
	}
	ref := "dl/" + dl.ID
	if err := d.t.blobs.PutBlobUntil(ctx, ref, doc, until); err != nil {
		return nil, fmt.Errorf("store document: %w", err)
	}
	it[attrDocRef] = avS(ref)
	return it, nil
}

// summaryItem holds the attributes every item of a dead letter carries.
func summaryItem(dl *core.DeadLetter, until time.Time) item {
	it := item{
		attrID: avS(dl.ID), attrOrg: avS(dl.Org), attrSource: avS(dl.Source),
		attrEventID:  avS(dl.EventID),
		attrAttempts: avN(int64(dl.Attempts)), attrAt: avTime(dl.At),
	}
	opt := map[string]string{attrOpID: opID(dl.Op), attrRoute: dl.Route, attrCode: dl.Code,
		attrMessage: truncate(dl.Message, maxSummaryMessage)}
	if dl.Op != nil {
		opt[attrModule] = dl.Op.Module
	}
	for k, v := range opt {
		if v != "" {
			it[k] = avS(v)
		}
	}
	if !dl.FirstAt.IsZero() {
		it[attrFirstAt] = avTime(dl.FirstAt)
	}
	if exp, ok := expiryAttr(until); ok {
		it[attrExpires] = exp
	}
	return it
}

// Get returns the dead letter id, with its replay state.
func (d *DeadLetters) Get(ctx context.Context, id string) (*Record, error) {
	if err := checkPart("dead letter id", id); err != nil {
		return nil, fmt.Errorf("get dead letter: %w", err)
	}
	out, err := d.t.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(d.t.name),
		Key: itemKey(deadPK(id), skDeadMain), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("get dead letter %s: %w", id, err)
	}
	if !live(out.Item, d.t.now()) {
		return nil, fmt.Errorf("get dead letter: %w", &NotFoundError{Kind: kindDeadLetter, Key: id})
	}
	doc, err := d.document(ctx, out.Item)
	if err != nil {
		return nil, fmt.Errorf("get dead letter %s: %w", id, err)
	}
	r := &Record{ReplayedAt: getTime(out.Item, attrReplayedAt)}
	if err := decodeJSON(doc, &r.DeadLetter); err != nil {
		return nil, fmt.Errorf("get dead letter %s: %w: %v", id, ErrCorrupt, err)
	}
	if exp, ok := getN(out.Item, attrExpires); ok {
		r.ExpiresAt = time.Unix(exp, 0).UTC()
	}
	if v, ok := out.Item[attrBodyLost].(*types.AttributeValueMemberBOOL); ok {
		r.BodyLost = v.Value
	}
	return r, nil
}

// document returns a main item's JSON document, inline or from its blob.
func (d *DeadLetters) document(ctx context.Context, it item) ([]byte, error) {
	if ref := getS(it, attrDocRef); ref != "" {
		doc, err := d.t.blobs.GetBlob(ctx, ref)
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("%w: document blob missing", ErrCorrupt)
		}
		return doc, err
	}
	z := getB(it, attrDoc)
	if z == nil {
		return nil, fmt.Errorf("%w: no document", ErrCorrupt)
	}
	doc, err := decompress(z, 4*len(z), maxDocSize)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	return doc, nil
}

// Delete removes the dead letter id: its items and its document blob. The
// envelope's out-of-band body is left to expire, as other dead letters of
// the same event may still need it. Deleting a missing dead letter is not an
// error.
func (d *DeadLetters) Delete(ctx context.Context, id string) error {
	if err := checkPart("dead letter id", id); err != nil {
		return fmt.Errorf("delete dead letter: %w", err)
	}
	out, err := d.t.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(d.t.name),
		Key: itemKey(deadPK(id), skDeadMain), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("delete dead letter %s: %w", id, err)
	}
	var tx []types.TransactWriteItem
	for _, sk := range []string{skDeadMain, skDeadByOrg, skDeadBySource, skDeadByCode} {
		tx = append(tx, types.TransactWriteItem{Delete: &types.Delete{
			TableName: aws.String(d.t.name), Key: itemKey(deadPK(id), sk)}})
	}
	if _, err := d.t.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx}); err != nil {
		return fmt.Errorf("delete dead letter %s: %w", id, err)
	}
	if ref := getS(out.Item, attrDocRef); ref != "" {
		if err := d.t.blobs.DeleteBlob(ctx, ref); err != nil {
			return fmt.Errorf("delete dead letter %s: %w", id, err)
		}
	}
	return nil
}

func checkDeadLetter(dl *core.DeadLetter) error {
	if dl == nil {
		return fmt.Errorf("%w: nil dead letter", ErrInvalid)
	}
	for _, f := range []struct{ what, v string }{{"org", dl.Org}, {"source", dl.Source},
		{"event id", dl.EventID}} {
		if err := checkPart(f.what, f.v); err != nil {
			return err
		}
	}
	if len(dl.Code) > maxKeyComponent {
		return fmt.Errorf("%w: code longer than %d bytes", ErrInvalid, maxKeyComponent)
	}
	return nil
}

func opID(op *core.Operation) string {
	if op == nil {
		return ""
	}
	return op.ID
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// encodeJSON marshals v without HTML escaping (smaller, same meaning).
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decodeJSON unmarshals keeping numbers exact (json.Number), as the domain
// requires for field values.
func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}
