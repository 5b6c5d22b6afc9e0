package ledger

import (
	"testing"

	"github.com/zohosync/zohosync/shared/config"
)

func TestDailyCredits(t *testing.T) {
	tests := []struct {
		edition string
		users   int
		caps    map[string]int
		want    int
		ok      bool
	}{
		{"free", 3, nil, 5_000, true},
		{"standard", 10, nil, 52_500, true},
		{"standard", 1_000, nil, 100_000, true},
		{"professional", 40, nil, 70_000, true},
		{"Enterprise", 100, nil, 150_000, true},
		{"enterprise", 10_000, nil, 5_000_000, true},
		{"enterprise", 10_000, map[string]int{"enterprise": 2_000_000}, 2_000_000, true},
		{"professional", 5_000, map[string]int{"professional": 0}, 2_550_000, true},
		{"ultimate", 10_000, nil, 20_050_000, true},
		{"platinum", 1, nil, 0, false},
		{"standard", -1, nil, 0, false},
	}
	for _, tt := range tests {
		got, err := DailyCredits(tt.edition, tt.users, tt.caps)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("DailyCredits(%s, %d, %v) = %d, %v; want %d, ok=%v", tt.edition, tt.users, tt.caps, got, err, tt.want, tt.ok)
		}
	}
}

func TestBudget(t *testing.T) {
	tests := []struct {
		name    string
		edition string
		users   int
		addOns  int
		share   float64
		want    int
		ok      bool
	}{
		{"half of enterprise with add-ons", "enterprise", 40, 10_000, 0.5, 50_000, true},
		{"add-ons are not capped", "standard", 1_000, 20_000, 1, 120_000, true},
		{"rounds down", "free", 0, 0, 0.3333, 1_666, true},
		{"zero share", "free", 0, 0, 0, 0, false},
		{"share above one", "free", 0, 0, 1.5, 0, false},
		{"negative add-ons", "free", 0, -1, 1, 0, false},
	}
	for _, tt := range tests {
		got, err := Budget(tt.edition, tt.users, tt.addOns, tt.share, nil)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s: Budget = %d, %v; want %d, ok=%v", tt.name, got, err, tt.want, tt.ok)
		}
	}
}

func TestLimitsFor(t *testing.T) {
	o := &config.Org{Name: "acme", Edition: "enterprise", Users: 40, CreditShare: 0.8, ConcurrencyShare: 10}
	got, err := LimitsFor(o, nil, 0)
	want := Limits{Budget: 72_000, Share: 0.8, Concurrency: 10, Sub: DefaultSubShare}
	if err != nil || got != want {
		t.Fatalf("LimitsFor = %+v, %v; want %+v", got, err, want)
	}
	o.ConcurrencyShare = 0
	if _, err := LimitsFor(o, nil, 4); err == nil {
		t.Error("zero concurrency share accepted")
	}
}
