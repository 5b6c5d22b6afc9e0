package dynamo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Key prefixes of the item kinds this package owns. Other packages own
// org#<org> (tokens, credits, slots); nothing here starts with "org#".
const (
	prefixClaimPK   = "src#"
	prefixClaimSK   = "evt#"
	prefixBlob      = "blob#"
	skBlobMeta      = "meta"
	prefixBlobPart  = "part#"
	prefixDeadPK    = "dl#"
	skDeadMain      = "dl"
	skDeadByOrg     = "by#org"
	skDeadBySource  = "by#source"
	skDeadByCode    = "by#code"
	prefixDeadOrg   = "dlorg#"
	prefixDeadSrc   = "dlsrc#"
	prefixDeadCode  = "dlcode#"
	kindClaim       = "claim"
	kindBlob        = "blob"
	kindBlobPart    = "blob_part"
	kindDeadLetter  = "dead letter"
	kindDeadIndex   = "dead letter index"
	maxKeyComponent = 900 // bytes; DynamoDB allows 1024 in a sort key
)

// keyPart escapes '%' and '#' in a component of a composite key, so that
// "a#b" + "c" and "a" + "b#c" never collide. Ordinary names are unchanged.
func keyPart(s string) string {
	if !strings.ContainsAny(s, "%#") {
		return s
	}
	return strings.NewReplacer("%", "%25", "#", "%23").Replace(s)
}

// checkPart validates one caller-supplied key component.
func checkPart(what, s string) error {
	if s == "" {
		return fmt.Errorf("%w: empty %s", ErrInvalid, what)
	}
	if len(s) > maxKeyComponent {
		return fmt.Errorf("%w: %s longer than %d bytes", ErrInvalid, what, maxKeyComponent)
	}
	return nil
}

func claimKey(source, eventID string) item {
	return itemKey(prefixClaimPK+keyPart(source), prefixClaimSK+eventID)
}

func blobPK(k string) string { return prefixBlob + k }

// partSK names part i of the blob generation gen (a content hash prefix), so
// a key rewritten with other content never mixes old and new parts.
func partSK(gen string, i int) string { return fmt.Sprintf("%s%s#%04d", prefixBlobPart, gen, i) }

func deadPK(id string) string { return prefixDeadPK + id }

func deadOrgPK(org string) string { return prefixDeadOrg + keyPart(org) }
func deadSrcPK(src string) string { return prefixDeadSrc + keyPart(src) }
func deadCodePK(org, code string) string {
	return prefixDeadCode + keyPart(org) + "#" + keyPart(code)
}

// sortTimeLayout is fixed-width, so string order is time order.
const sortTimeLayout = "2006-01-02T15:04:05.000000000Z"

// sortTime formats t for a sort key, clamped to years 0000–9999.
func sortTime(t time.Time) string {
	t = t.UTC()
	switch {
	case t.Year() < 0:
		t = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	case t.Year() > 9999:
		t = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	}
	return t.Format(sortTimeLayout)
}

// deadSortKey orders dead letters by time, then id.
func deadSortKey(at time.Time, id string) string { return sortTime(at) + "#" + id }

// DeadLetterID derives a dead letter's id from what identifies the failed
// work: the source, the event id and the operation id ("" when the whole
// event failed, e.g. a mapping error). The same operation of the same event
// always gets the same id, so a redelivered batch writes one dead letter.
func DeadLetterID(source, eventID, opID string) string {
	h := sha256.New()
	for _, s := range []string{"zohosync dead letter v1", source, eventID, opID} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
