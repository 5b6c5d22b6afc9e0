package queue

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestChunk(t *testing.T) {
	tests := []struct {
		name  string
		sizes []int
		n     int
		limit int
		want  string
	}{
		{"none", nil, 10, 100, "[]"},
		{"by count", []int{1, 1, 1, 1, 1}, 2, 100, "[[0 1] [2 3] [4]]"},
		{"by size", []int{60, 30, 20, 50, 50}, 10, 100, "[[0 1] [2 3] [4]]"},
		{"exact fit", []int{50, 50, 50}, 10, 100, "[[0 1] [2]]"},
		{"oversize alone", []int{10, 150, 10}, 10, 100, "[[0] [1] [2]]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(chunk(tt.sizes, tt.n, tt.limit)); got != tt.want {
			t.Errorf("%s: chunk = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestEscapeForSQS(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":"plain"}`, `{"a":"plain"}`},
		{"{\"a\":\"x\uffffy\"}", `{"a":"x\uffffy"}`},
		{"{\"a\":\"\ufffe\ufffd\"}", "{\"a\":\"\\ufffe\ufffd\"}"},
		{"{\"a\":\"\uefbf\"}", "{\"a\":\"\uefbf\"}"},
		{"{\"a\":\"Zoë 🚀\"}", `{"a":"Zoë \ud83d\ude80"}`},
		{"{\"a\":\"李示例 🌸\ufffe\"}", `{"a":"李示例 \ud83c\udf38\ufffe"}`},
	}
	for _, tt := range tests {
		got := string(escapeForSQS([]byte(tt.in)))
		if got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		var a, b any
		if json.Unmarshal([]byte(tt.in), &a) != nil || json.Unmarshal([]byte(got), &b) != nil || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("escape(%q) changed the JSON value", tt.in)
		}
	}
}

func TestSQSText(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"stripe", true},
		{"tab\tnewline\n", true},
		{"ctl\x01", false},
		{"\ufffd", true},
		{"\uffff", false},
		{"\xff", false},
		{"😀", true},
	}
	for _, tt := range tests {
		if got := sqsText(tt.in); got != tt.want {
			t.Errorf("sqsText(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBlobKey(t *testing.T) {
	var a, b [32]byte
	b[0] = 1
	k := BlobKey("stripe", "evt_1", a)
	if k != BlobKey("stripe", "evt_1", a) {
		t.Errorf("not deterministic")
	}
	for _, other := range []string{BlobKey("stripe", "evt_1", b), BlobKey("stripe", "evt_2", a),
		BlobKey("stripeevt_1", "", a), BlobKey("s", "tripeevt_1", a)} {
		if other == k {
			t.Errorf("BlobKey collision: %s", k)
		}
	}
	if len(k) != 2+32+1+32 {
		t.Errorf("key %q has length %d", k, len(k))
	}
}
