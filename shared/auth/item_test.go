package auth

import (
	"testing"
	"time"
)

func TestNextMint(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	ago := func(m int) time.Time { return now.Add(-time.Duration(m) * time.Minute) }
	tests := []struct {
		name   string
		it     item
		limit  int
		want   time.Time
		byZoho bool
	}{
		{"empty", item{}, 8, time.Time{}, false},
		{"below cap", item{Mints: []time.Time{ago(1), ago(2)}}, 3, time.Time{}, false},
		{"old mints do not count", item{Mints: []time.Time{ago(11), ago(12), ago(1)}}, 2, time.Time{}, false},
		{"full: oldest ages out", item{Mints: []time.Time{ago(1), ago(9), ago(5)}}, 3, ago(9).Add(10 * time.Minute), false},
		{"over full: enough must age out", item{Mints: []time.Time{ago(9), ago(8), ago(7), ago(1)}}, 2, ago(7).Add(10 * time.Minute), false},
		{"hold after Access Denied", item{HoldUntil: now.Add(time.Minute)}, 8, now.Add(time.Minute), true},
		{"hold passed", item{HoldUntil: ago(1)}, 8, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, byZoho := tt.it.nextMint(now, tt.limit, 10*time.Minute)
			if !got.Equal(tt.want) || byZoho != tt.byZoho {
				t.Errorf("nextMint = %v %v, want %v %v", got, byZoho, tt.want, tt.byZoho)
			}
		})
	}
}

func TestUsableUntil(t *testing.T) {
	m := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name           string
		expiry, minted time.Time
		want           time.Time
	}{
		{"hour token keeps the margin", m.Add(time.Hour), m, m.Add(55 * time.Minute)},
		{"short token: half its life", m.Add(4 * time.Minute), m, m.Add(2 * time.Minute)},
		{"invalidated", time.Time{}, m, time.Time{}},
		{"unknown mint time", m.Add(time.Hour), time.Time{}, m.Add(55 * time.Minute)},
	}
	for _, tt := range tests {
		if got := usableUntil(tt.expiry, tt.minted, 5*time.Minute); !got.Equal(tt.want) {
			t.Errorf("%s: usableUntil = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestItemRoundTrip(t *testing.T) {
	now := time.UnixMilli(1_900_000_000_000)
	m := tokenKey("acme")
	m[attrRefresh] = sAttr("r")
	m[attrAccess] = sAttr("a")
	m[attrExpiry] = msAttr(now.Add(time.Hour))
	m[attrFence] = nAttr(7)
	m[attrMints] = mintsAttr([]time.Time{now, now.Add(-time.Minute)})
	it := decodeItem(m)
	if it.Refresh != "r" || it.Access != "a" || it.Fence != 7 || !it.Expiry.Equal(now.Add(time.Hour)) || len(it.Mints) != 2 {
		t.Errorf("decoded %+v", it)
	}
	if decodeItem(nil) != nil {
		t.Error("decodeItem(nil) != nil")
	}
}
