package zohosim

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestLatencySamples(t *testing.T) {
	r := newLockedRand(1)
	fixed := Latency{Kind: "fixed", Fixed: 40 * time.Millisecond}
	if got := fixed.sample(r); got != 40*time.Millisecond {
		t.Errorf("fixed = %v", got)
	}
	if got := (Latency{}).sample(r); got != 0 {
		t.Errorf("none = %v", got)
	}
	uni := Latency{Kind: "uniform", Min: 10 * time.Millisecond, Max: 20 * time.Millisecond}
	for range 1000 {
		if d := uni.sample(r); d < uni.Min || d > uni.Max {
			t.Fatalf("uniform sample %v outside [%v, %v]", d, uni.Min, uni.Max)
		}
	}
	ln := Latency{Kind: "lognormal", Median: 100 * time.Millisecond, P99: time.Second}
	samples := make([]time.Duration, 20000)
	for i := range samples {
		samples[i] = ln.sample(r)
	}
	slices.Sort(samples)
	med, p99 := samples[len(samples)/2], samples[len(samples)*99/100]
	if med < 90*time.Millisecond || med > 110*time.Millisecond {
		t.Errorf("lognormal median = %v, want about 100ms", med)
	}
	if p99 < 800*time.Millisecond || p99 > 1250*time.Millisecond {
		t.Errorf("lognormal p99 = %v, want about 1s", p99)
	}
}

func TestLatencyValidationAndJSON(t *testing.T) {
	bad := []string{`{"kind":"gauss"}`, `{"kind":"uniform","min":"2s","max":"1s"}`, `{"kind":"lognormal","median":"1s","p99":"10ms"}`, `{"kind":"fixed","fixd":"1s"}`}
	for _, b := range bad {
		var l Latency
		if err := json.Unmarshal([]byte(b), &l); err == nil {
			t.Errorf("%s accepted", b)
		}
	}
	var l Latency
	if err := json.Unmarshal([]byte(`{"kind":"lognormal","median":"80ms","p99":"1.2s"}`), &l); err != nil {
		t.Fatal(err)
	}
	if l.Median != 80*time.Millisecond || l.P99 != 1200*time.Millisecond {
		t.Errorf("decoded %+v", l)
	}
	out, _ := json.Marshal(l)
	var back Latency
	if err := json.Unmarshal(out, &back); err != nil || back != l {
		t.Errorf("round trip %s -> %+v (%v)", out, back, err)
	}
}

func TestLatencyApplied(t *testing.T) {
	h := newHarness(t, Config{Latency: Latencies{Write: Latency{Kind: "fixed", Fixed: 150 * time.Millisecond}}})
	start := time.Now()
	mustWrite(h, "POST", "/crm/v8/Leads", leads(1, "a"), 201)
	if took := time.Since(start); took < 150*time.Millisecond {
		t.Errorf("call took %v, want at least 150ms", took)
	}
	if err := h.sim.SetLatency("write", Latency{}); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.SetLatency("search", Latency{}); err == nil {
		t.Error("unknown class accepted")
	}
}
