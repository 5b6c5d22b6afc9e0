package ledger

import (
	"testing"
	"time"
)

func testRing() ring { return newRing(15 * time.Minute) }

func TestRingGeometry(t *testing.T) {
	r := testRing()
	if r.n != 97 {
		t.Fatalf("ring length = %d, want 97 (24 h of 15-min buckets plus one)", r.n)
	}
	at := time.Date(2030, 1, 1, 10, 7, 0, 0, time.UTC)
	k := r.bucket(at)
	start := time.UnixMilli(k * r.ms)
	if got, want := r.freedAt(k), start.Add(24*time.Hour+15*time.Minute); !got.Equal(want) {
		t.Errorf("freedAt = %v, want %v", got, want)
	}
	if !r.freedAt(k).After(at.Add(24 * time.Hour)) {
		t.Error("usage would leave the window before Zoho frees it")
	}
}

func fresh(r ring, head int64) *state {
	return &state{exists: true, head: head, used: make([]int64, r.n), bucketMS: r.ms, remaining: -1}
}

func TestRolled(t *testing.T) {
	r := testRing()
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := r.bucket(now)
	s := fresh(r, cur-3)
	s.used[r.slot(cur-3)] = 7
	s.used[r.slot(cur-98)] = 5 // second-oldest bucket in the window at head cur-3
	s.total = 12
	tests := []struct {
		name      string
		to        int64
		wantTotal int64
	}{
		{"same bucket", cur - 3, 12},
		{"three buckets on: bucket cur-98 leaves", cur, 7},
		{"a day later: everything leaves", cur + 200, 0},
		{"clock behind the head: no change", cur - 10, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := s.rolled(r, tt.to, now)
			if n.total != tt.wantTotal {
				t.Errorf("total = %d, want %d", n.total, tt.wantTotal)
			}
			var sum int64
			for _, u := range n.used {
				sum += u
			}
			if sum+n.ext != n.total {
				t.Errorf("sum(used)+ext = %d, total %d", sum+n.ext, n.total)
			}
			if s.total != 12 {
				t.Error("rolled changed its receiver")
			}
		})
	}
}

func TestRolledDropsExpiredInferredUsage(t *testing.T) {
	r := testRing()
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	s := fresh(r, r.bucket(now))
	s.ext, s.total, s.extUntil = 40, 40, now
	if !s.needsRoll(r, r.bucket(now), now) {
		t.Fatal("expired ext does not ask for a roll")
	}
	if n := s.rolled(r, r.bucket(now), now); n.total != 0 || n.ext != 0 {
		t.Errorf("after roll total %d ext %d, want 0 0", n.total, n.ext)
	}
}

func TestRolledRebuildsOtherBucketSize(t *testing.T) {
	r := testRing()
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	old := newRing(time.Hour)
	s := fresh(old, old.bucket(now))
	s.used[0], s.used[3], s.total = 10, 20, 30
	if !s.needsRoll(r, r.bucket(now), now) {
		t.Fatal("other bucket size does not ask for a roll")
	}
	n := s.rolled(r, r.bucket(now), now)
	if int64(len(n.used)) != r.n || n.total != 30 || n.used[r.slot(r.bucket(now))] != 30 {
		t.Errorf("rebuilt ring: len %d total %d current %d", len(n.used), n.total, n.used[r.slot(r.bucket(now))])
	}
}

func TestFreeAt(t *testing.T) {
	r := testRing()
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := r.bucket(now)
	s := fresh(r, cur)
	s.used[r.slot(cur-8)], s.used[r.slot(cur-4)], s.used[r.slot(cur)] = 300, 300, 400
	s.total = 1000
	tests := []struct {
		name    string
		credits int64
		want    time.Time
	}{
		{"needs the oldest bucket", 100, r.freedAt(cur - 8)},
		{"needs two buckets", 500, r.freedAt(cur - 4)},
		{"needs all", 1000, r.freedAt(cur)},
	}
	for _, tt := range tests {
		if got := s.freeAt(r, tt.credits, 1000); !got.Equal(tt.want) {
			t.Errorf("%s: freeAt = %v, want %v", tt.name, got, tt.want)
		}
	}
	s.ext, s.extUntil, s.total = 200, now.Add(time.Hour), 1200
	if got := s.freeAt(r, 100, 1200); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("with inferred usage expiring first: freeAt = %v, want %v", got, now.Add(time.Hour))
	}
}

func TestInferredExt(t *testing.T) {
	lim := Limits{Budget: 1000, Share: 0.5}
	tests := []struct {
		name      string
		total     int64
		ext       int64
		remaining int64
		want      int64
	}{
		{"alone: zoho remaining = all minus ours", 100, 0, 1900, 0},
		{"others spent 1000", 100, 0, 900, 450},
		{"others spent everything", 100, 0, 0, 900},
		{"room came back", 550, 450, 1800, 0},
	}
	for _, tt := range tests {
		s := &state{total: tt.total, ext: tt.ext}
		if got := inferredExt(s, tt.remaining, lim); got != tt.want {
			t.Errorf("%s: ext = %d, want %d", tt.name, got, tt.want)
		}
	}
}
