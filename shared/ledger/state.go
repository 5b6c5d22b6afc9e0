package ledger

import (
	"sort"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// window is Zoho's rolling credit window.
const window = 24 * time.Hour

// Attribute names of the credits item (see the package doc).
const (
	attrPK        = "pk"
	attrSK        = "sk"
	attrHead      = "head_bucket"
	attrUsed      = "bucket_used"
	attrTotal     = "used_total"
	attrExt       = "ext_used"
	attrExtUntil  = "ext_until"
	attrCool      = "cool_until"
	attrVer       = "item_version"
	attrBucketMS  = "bucket_ms"
	attrBudget    = "budget"
	attrRemaining = "zoho_remaining"
	attrRemAt     = "zoho_remaining_at"
)

// ring describes the bucket ring: buckets of size ms, n of them, covering
// the 24-hour window plus one bucket so that usage is never forgotten
// early (bucket k is dropped at its start + 24 h + one bucket).
type ring struct {
	ms int64
	n  int64
}

func newRing(bucket time.Duration) ring {
	return ring{ms: bucket.Milliseconds(), n: int64(window/bucket) + 1}
}

func (r ring) bucket(t time.Time) int64 { return t.UnixMilli() / r.ms }

// freedAt is when usage charged to bucket k leaves the window.
func (r ring) freedAt(k int64) time.Time { return time.UnixMilli((k + r.n) * r.ms) }

func (r ring) slot(k int64) int64 { return k % r.n }

// state is the decoded credits item of one org.
type state struct {
	exists    bool
	head      int64
	used      []int64 // ring slots; slot(k) holds bucket k for k in (head-n, head]
	total     int64   // sum(used) + ext
	ext       int64   // credits other apps spent, inferred from Zoho's remaining
	extUntil  time.Time
	cool      time.Time
	ver       int64
	bucketMS  int64
	remaining int64 // last X-API-CREDITS-REMAINING, -1 when never seen
	remAt     time.Time
}

func (s *state) clone() *state {
	c := *s
	c.used = append([]int64(nil), s.used...)
	return &c
}

// needsRoll reports whether the ring must move to bucket cur (or drop
// expired inferred usage, or be rebuilt for another bucket size) before a
// reservation can be charged.
func (s *state) needsRoll(r ring, cur int64, now time.Time) bool {
	return !s.exists || s.head < cur || s.bucketMS != r.ms || int64(len(s.used)) != r.n ||
		(s.ext > 0 && !now.Before(s.extUntil))
}

// rolled returns the state moved to bucket cur: buckets that left the
// window are zeroed, expired inferred usage dropped, and a ring of another
// bucket size collapsed into the current bucket (never freeing early).
func (s *state) rolled(r ring, cur int64, now time.Time) *state {
	n := s.clone()
	n.exists = true
	if cur < n.head {
		cur = n.head
	}
	if s.bucketMS != r.ms || int64(len(s.used)) != r.n {
		own := max(s.total-s.ext, 0)
		n.used = make([]int64, r.n)
		n.used[r.slot(cur)] = own
		n.total, n.bucketMS = own+n.ext, r.ms
	} else {
		for k := max(n.head+1, cur-r.n+1); k <= cur; k++ {
			n.total -= n.used[r.slot(k)]
			n.used[r.slot(k)] = 0
		}
	}
	n.head = cur
	if n.ext > 0 && !now.Before(n.extUntil) {
		n.total -= n.ext
		n.ext, n.extUntil = 0, time.Time{}
	}
	return n
}

// freeAt returns the earliest time at which credits more can be reserved
// within budget, as the window slides; never before a bucket's usage has
// really left Zoho's 24 hours.
func (s *state) freeAt(r ring, credits, budget int64) time.Time {
	need := s.total + credits - budget
	type release struct {
		at     time.Time
		amount int64
	}
	var rel []release
	for k := s.head - r.n + 1; k <= s.head; k++ {
		if u := s.used[r.slot(k)]; u > 0 {
			rel = append(rel, release{r.freedAt(k), u})
		}
	}
	if s.ext > 0 {
		rel = append(rel, release{s.extUntil, s.ext})
	}
	sort.Slice(rel, func(i, j int) bool { return rel[i].at.Before(rel[j].at) })
	var freed int64
	for _, x := range rel {
		if freed += x.amount; freed >= need {
			return x.at
		}
	}
	return r.freedAt(s.head)
}

func decodeState(m map[string]types.AttributeValue) *state {
	s := &state{remaining: -1}
	if len(m) == 0 {
		return s
	}
	_, s.exists = m[attrHead]
	s.head = num(m[attrHead])
	s.total = num(m[attrTotal])
	s.ext = num(m[attrExt])
	s.extUntil = msTime(m[attrExtUntil])
	s.cool = msTime(m[attrCool])
	s.ver = num(m[attrVer])
	s.bucketMS = num(m[attrBucketMS])
	if v, ok := m[attrRemaining]; ok {
		s.remaining = num(v)
	}
	s.remAt = msTime(m[attrRemAt])
	if l, ok := m[attrUsed].(*types.AttributeValueMemberL); ok {
		s.used = make([]int64, len(l.Value))
		for i, v := range l.Value {
			s.used[i] = num(v)
		}
	}
	return s
}

// item encodes the whole credits item (for the optimistic rewrite).
func (s *state) item(org string, budget int64) map[string]types.AttributeValue {
	used := make([]types.AttributeValue, len(s.used))
	for i, u := range s.used {
		used[i] = nAttr(u)
	}
	m := creditsKey(org)
	m[attrHead] = nAttr(s.head)
	m[attrUsed] = &types.AttributeValueMemberL{Value: used}
	m[attrTotal] = nAttr(s.total)
	m[attrExt] = nAttr(s.ext)
	m[attrVer] = nAttr(s.ver)
	m[attrBucketMS] = nAttr(s.bucketMS)
	m[attrBudget] = nAttr(budget)
	if !s.extUntil.IsZero() {
		m[attrExtUntil] = msAttr(s.extUntil)
	}
	if !s.cool.IsZero() {
		m[attrCool] = msAttr(s.cool)
	}
	if s.remaining >= 0 {
		m[attrRemaining] = nAttr(s.remaining)
		m[attrRemAt] = msAttr(s.remAt)
	}
	return m
}

const creditsSK = "credits"

func orgPK(org string) string { return "org#" + org }

func creditsKey(org string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: sAttr(orgPK(org)), attrSK: sAttr(creditsSK)}
}

func num(v types.AttributeValue) int64 {
	if n, ok := v.(*types.AttributeValueMemberN); ok {
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return i
		}
	}
	return 0
}

func msTime(v types.AttributeValue) time.Time {
	if ms := num(v); ms > 0 {
		return time.UnixMilli(ms)
	}
	return time.Time{}
}

func str(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func sAttr(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func nAttr(i int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(i, 10)}
}

func msAttr(t time.Time) types.AttributeValue { return nAttr(t.UnixMilli()) }
