package mapping

import (
	"strings"
	"testing"
)

// A numeric event id gets the same treatment as a text one: an id too long
// for a key is replaced by its hash, so ingest can store the event instead
// of refusing every delivery of it.
func TestEventIDNumberIsCleaned(t *testing.T) {
	m := defaultMapper(t)
	long := "1" + strings.Repeat("0", 700)
	tests := []struct {
		name, body, want string
	}{
		{"short number", `{"id": 12345, "type": "x"}`, "12345"},
		{"long number", `{"id": ` + long + `, "type": "x"}`, "sha256:" + hashHex([]byte(long))},
		{"long text", `{"id": "` + long + `", "type": "x"}`, "sha256:" + hashHex([]byte(long))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.EventID("stripe", nil, []byte(tt.body), "application/json")
			if err != nil || got != tt.want {
				t.Errorf("EventID = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
