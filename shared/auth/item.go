package auth

import (
	"sort"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute names of the token item (see the package doc).
const (
	attrPK          = "pk"
	attrSK          = "sk"
	attrRefresh     = "refresh_token"
	attrAccess      = "access_token"
	attrExpiry      = "access_expiry"
	attrMinted      = "minted_at"
	attrAPIDomain   = "api_domain"
	attrAccountsURL = "accounts_url"
	attrDC          = "data_center"
	attrClientID    = "client_id"
	attrLeaseOwner  = "lease_owner"
	attrLeaseUntil  = "lease_until"
	attrFence       = "fence"
	attrMints       = "mints"
	attrHoldUntil   = "mint_hold_until"
	attrReauth      = "reauth"
	attrReauthAt    = "reauth_at"
	attrConnectedAt = "connected_at"
)

// tokenSK is the sort key of an org's token item.
const tokenSK = "token"

// orgPK is the partition key of every item of an org.
func orgPK(org string) string { return "org#" + org }

func tokenKey(org string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: orgPK(org)},
		attrSK: &types.AttributeValueMemberS{Value: tokenSK},
	}
}

// item is the decoded token item of one org. Times are kept as wall-clock
// instants; zero means absent.
type item struct {
	Refresh     string
	Access      string
	Expiry      time.Time
	Minted      time.Time
	APIDomain   string
	AccountsURL string
	DataCenter  string
	ClientID    string
	LeaseOwner  string
	LeaseUntil  time.Time
	Fence       int64
	Mints       []time.Time
	HoldUntil   time.Time
	Reauth      string
}

func decodeItem(m map[string]types.AttributeValue) *item {
	if len(m) == 0 {
		return nil
	}
	it := &item{
		Refresh:     str(m[attrRefresh]),
		Access:      str(m[attrAccess]),
		Expiry:      msTime(m[attrExpiry]),
		Minted:      msTime(m[attrMinted]),
		APIDomain:   str(m[attrAPIDomain]),
		AccountsURL: str(m[attrAccountsURL]),
		DataCenter:  str(m[attrDC]),
		ClientID:    str(m[attrClientID]),
		LeaseOwner:  str(m[attrLeaseOwner]),
		LeaseUntil:  msTime(m[attrLeaseUntil]),
		Fence:       num(m[attrFence]),
		HoldUntil:   msTime(m[attrHoldUntil]),
		Reauth:      str(m[attrReauth]),
	}
	if l, ok := m[attrMints].(*types.AttributeValueMemberL); ok {
		for _, v := range l.Value {
			if t := msTime(v); !t.IsZero() {
				it.Mints = append(it.Mints, t)
			}
		}
	}
	return it
}

// usableUntil is the last instant the access token may be handed out with
// at least margin left. The margin shrinks to half the token's lifetime for
// short-lived tokens, so a short lifetime never means a refresh per call.
func (it *item) usableUntil(margin time.Duration) time.Time {
	return usableUntil(it.Expiry, it.Minted, margin)
}

func usableUntil(expiry, minted time.Time, margin time.Duration) time.Time {
	if expiry.IsZero() {
		return time.Time{}
	}
	if !minted.IsZero() {
		if half := expiry.Sub(minted) / 2; half < margin {
			margin = half
		}
	}
	return expiry.Add(-margin)
}

// leaseLive reports whether another refresher holds an unexpired lease.
func (it *item) leaseLive(now time.Time) bool {
	return it.LeaseOwner != "" && now.Before(it.LeaseUntil)
}

// recentMints returns the mint times within window before now, oldest first.
func (it *item) recentMints(now time.Time, window time.Duration) []time.Time {
	var out []time.Time
	for _, t := range it.Mints {
		if now.Sub(t) < window {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// nextMint returns when a mint is allowed again, or the zero time when one
// is allowed now, given the cap per window and any hold after Access Denied.
func (it *item) nextMint(now time.Time, limit int, window time.Duration) (next time.Time, byZoho bool) {
	if now.Before(it.HoldUntil) {
		return it.HoldUntil, true
	}
	recent := it.recentMints(now, window)
	if len(recent) < limit {
		return time.Time{}, false
	}
	// The window frees one mint when the oldest mint that keeps it full ages out.
	return recent[len(recent)-limit].Add(window), false
}

func str(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func num(v types.AttributeValue) int64 {
	if n, ok := v.(*types.AttributeValueMemberN); ok {
		i, err := strconv.ParseInt(n.Value, 10, 64)
		if err == nil {
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

func sAttr(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func nAttr(i int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(i, 10)}
}

func msAttr(t time.Time) types.AttributeValue { return nAttr(t.UnixMilli()) }

func mintsAttr(ts []time.Time) types.AttributeValue {
	l := make([]types.AttributeValue, len(ts))
	for i, t := range ts {
		l[i] = msAttr(t)
	}
	return &types.AttributeValueMemberL{Value: l}
}
