package dynamo

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/zohosync/zohosync/shared/core"
)

func TestKeyPart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"stripe", "stripe"},
		{"a#b", "a%23b"},
		{"100%", "100%25"},
		{"%23", "%2523"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := keyPart(tt.in); got != tt.want {
			t.Errorf("keyPart(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if deadCodePK("a#b", "c") == deadCodePK("a", "b#c") {
		t.Errorf("composite keys collide")
	}
}

func TestSortTime(t *testing.T) {
	times := []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 60, time.UTC),
		time.Date(2026, 1, 2, 4, 4, 5, 0, time.FixedZone("CET", 3600)), // 03:04:05Z
		time.Date(999, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	keys := make([]string, len(times))
	for i, tm := range times {
		keys[i] = sortTime(tm)
		if len(keys[i]) != len(sortTimeLayout) {
			t.Errorf("sortTime(%v) = %q: not fixed width", tm, keys[i])
		}
	}
	ordered := append([]string(nil), keys...)
	sort.Strings(ordered)
	want := []string{keys[4], keys[3], keys[2], keys[0], keys[1], keys[5]}
	if strings.Join(ordered, " ") != strings.Join(want, " ") {
		t.Errorf("string order %v, want time order %v", ordered, want)
	}
}

func TestDeadLetterID(t *testing.T) {
	id := DeadLetterID("stripe", "evt_1", "contact")
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Fatalf("id %q: want 32 lower-case hex digits", id)
	}
	if DeadLetterID("stripe", "evt_1", "contact") != id {
		t.Errorf("not deterministic")
	}
	distinct := [][3]string{
		{"stripe", "evt_1", "deal"}, {"stripe", "evt_1", ""}, {"stripe", "evt_2", "contact"},
		{"shopify", "evt_1", "contact"}, {"stripeevt_1", "", "contact"}, {"stripe", "evt_1contact", ""},
	}
	seen := map[string]bool{id: true}
	for _, d := range distinct {
		got := DeadLetterID(d[0], d[1], d[2])
		if seen[got] {
			t.Errorf("DeadLetterID%v collides", d)
		}
		seen[got] = true
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 3, "hel"},
		{"héllo", 2, "h"}, // é is two bytes: never cut inside it
		{"héllo", 3, "hé"},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestBlobCodec(t *testing.T) {
	data := bytes.Repeat([]byte("zohosync blob codec "), 500)
	m, parts, err := encodeBlob(data, 20)
	if err != nil {
		t.Fatal(err)
	}
	if m.Parts != len(parts) || m.Parts < 2 || m.Size != len(data) || len(m.Gen) != 16 {
		t.Fatalf("meta %+v with %d parts", m, len(parts))
	}
	got, err := decodeBlob(m, parts)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("round trip: %v", err)
	}
	flip := func(p [][]byte) [][]byte {
		c := make([][]byte, len(p))
		for i := range p {
			c[i] = append([]byte(nil), p[i]...)
		}
		c[len(c)-1][len(c[len(c)-1])-5] ^= 0xff // inside the gzip trailer (CRC or length)
		return c
	}
	tests := []struct {
		name  string
		meta  blobMeta
		parts [][]byte
	}{
		{"part dropped", m, parts[:len(parts)-1]},
		{"byte flipped", m, flip(parts)},
		{"size understated", blobMeta{Size: m.Size - 1, SHA256: m.SHA256, Gen: m.Gen, ZSize: m.ZSize, Parts: m.Parts}, parts},
		{"size overstated", blobMeta{Size: m.Size + 1, SHA256: m.SHA256, Gen: m.Gen, ZSize: m.ZSize, Parts: m.Parts}, parts},
		{"hash differs", blobMeta{Size: m.Size, SHA256: strings.Repeat("0", 64), Gen: m.Gen, ZSize: m.ZSize, Parts: m.Parts}, parts},
		{"not gzip", blobMeta{Size: 3, SHA256: m.SHA256, ZSize: 3, Parts: 1}, [][]byte{[]byte("abc")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeBlob(tt.meta, tt.parts); !errors.Is(err, ErrCorrupt) {
				t.Errorf("err = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestBlobParts(t *testing.T) {
	mk := func(sks ...string) []item {
		var its []item
		for _, sk := range sks {
			its = append(its, item{attrSK: avS(sk), attrData: avB([]byte(sk[len(sk)-1:]))})
		}
		return its
	}
	tests := []struct {
		name  string
		items []item
		want  string
	}{
		{"in order", mk(partSK("aa", 0), partSK("aa", 1), partSK("aa", 2)), "012"},
		{"other generation skipped", mk(partSK("aa", 0), partSK("bb", 0), partSK("aa", 1)), "01"},
		{"gap stops", mk(partSK("aa", 0), partSK("aa", 2)), "0"},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		if got := string(bytes.Join(blobParts(tt.items, "aa"), nil)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCursor(t *testing.T) {
	pk := deadOrgPK("acme")
	k := item{attrPK: avS("dl#abc"), attrSK: avS(skDeadByOrg), attrGSIPK: avS(pk), attrGSISK: avS("2026#abc")}
	s, err := encodeCursor(k)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeCursor(s, pk)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{attrPK, attrSK, attrGSIPK, attrGSISK} {
		if getS(got, a) != getS(k, a) {
			t.Errorf("%s = %q, want %q", a, getS(got, a), getS(k, a))
		}
	}
	if _, err := decodeCursor(s, deadOrgPK("other")); !errors.Is(err, ErrInvalid) {
		t.Errorf("cursor of another org: err = %v, want ErrInvalid", err)
	}
	if _, err := encodeCursor(item{attrPK: avS("x")}); err == nil {
		t.Errorf("encodeCursor of a partial key: no error")
	}
}

func TestListInputPartition(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		q          Query
		wantPK     string
		wantFilter string
	}{
		{"org", Query{Org: "acme"}, "dlorg#acme", "(attribute_not_exists(#exp) OR #exp > :now)"},
		{"org and code", Query{Org: "acme", Code: "INVALID_DATA"}, "dlcode#acme#INVALID_DATA", "(attribute_not_exists(#exp) OR #exp > :now)"},
		{"source", Query{Source: "stripe"}, "dlsrc#stripe", "(attribute_not_exists(#exp) OR #exp > :now)"},
		{"source filtered", Query{Source: "stripe", Org: "acme", Code: "X", Pending: true}, "dlsrc#stripe",
			"#org = :org AND #code = :code AND (attribute_not_exists(#exp) OR #exp > :now) AND attribute_not_exists(#rat)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := listInput("tbl", tt.q, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := getS(in.ExpressionAttributeValues, ":pk"); got != tt.wantPK {
				t.Errorf("partition %q, want %q", got, tt.wantPK)
			}
			if got := aws.ToString(in.FilterExpression); got != tt.wantFilter {
				t.Errorf("filter %q, want %q", got, tt.wantFilter)
			}
			if aws.ToString(in.IndexName) != gsiName || aws.ToBool(in.ScanIndexForward) {
				t.Errorf("index %q, forward %v; want gsi1 newest first", aws.ToString(in.IndexName), aws.ToBool(in.ScanIndexForward))
			}
		})
	}
}

func TestClassifyClaim(t *testing.T) {
	tests := []struct {
		name    string
		old     item
		want    core.ClaimState
		wantErr bool
	}{
		{"enqueued", item{attrState: avS(stateEnqueued)}, core.ClaimDone, false},
		{"in progress", item{attrState: avS(stateInProgress)}, core.ClaimBusy, false},
		{"not returned", nil, 0, true},
		{"unknown state", item{attrState: avS("weird")}, 0, true},
	}
	for _, tt := range tests {
		got, err := classifyClaim(tt.old)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%s: got %v, %v; want %v, error %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLive(t *testing.T) {
	now := time.Unix(1000, 0)
	tests := []struct {
		name string
		it   item
		want bool
	}{
		{"absent", nil, false},
		{"no expiry", item{attrPK: avS("x")}, true},
		{"future", item{attrExpires: avN(1001)}, true},
		{"now", item{attrExpires: avN(1000)}, false},
		{"past", item{attrExpires: avN(999)}, false},
	}
	for _, tt := range tests {
		if got := live(tt.it, now); got != tt.want {
			t.Errorf("%s: live = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNotFoundError(t *testing.T) {
	blob := error(&NotFoundError{Kind: kindBlob, Key: "k"})
	dl := error(&NotFoundError{Kind: kindDeadLetter, Key: "k"})
	if !errors.Is(blob, ErrNotFound) || !errors.Is(blob, core.ErrBlobNotFound) {
		t.Errorf("blob not-found does not match both sentinels")
	}
	if !errors.Is(dl, ErrNotFound) || errors.Is(dl, core.ErrBlobNotFound) {
		t.Errorf("dead letter not-found matches the wrong sentinels")
	}
}

func TestNewValidates(t *testing.T) {
	if _, err := New(nil, "t", Options{}); err == nil {
		t.Errorf("nil client accepted")
	}
	tb, err := New(&nopAPI{}, "t", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tb.opt.ClaimTTL != DefaultClaimTTL || tb.opt.BlobTTL != DefaultBlobTTL || tb.opt.DeadLetterTTL != DefaultDeadLetterTTL {
		t.Errorf("defaults not applied: %+v", tb.opt)
	}
	if _, err := New(&nopAPI{}, "", Options{}); err == nil {
		t.Errorf("empty table name accepted")
	}
	if _, err := New(&nopAPI{}, "t", Options{BlobTTL: -1}); err == nil {
		t.Errorf("negative blob TTL accepted")
	}
	forever, _ := New(&nopAPI{}, "t", Options{DeadLetterTTL: -1})
	if !forever.deadLetterExpiry(time.Now()).IsZero() {
		t.Errorf("negative dead letter TTL should mean no expiry")
	}
}

// nopAPI satisfies API for tests that never call it.
type nopAPI struct{ API }
