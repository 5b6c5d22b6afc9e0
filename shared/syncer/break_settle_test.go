package syncer

import (
	"reflect"
	"testing"
)

// A message whose dead letter cannot be stored is redelivered whole (a
// batch item failure); requeueing its retryable operations as well would
// put a second copy of them in flight, and every further failed attempt
// would add another.
func TestUnstoredDeadLetterDoesNotAlsoRequeue(t *testing.T) {
	r := newRig(t)
	r.dls.fail = true
	fails := r.handle(t, msg(t, "m1", "e1", nil,
		contact("bad", "bad@example.com"), contact("locked", "lock@example.com")))
	if !reflect.DeepEqual(fails, []string{"m1"}) {
		t.Errorf("batch item failures %v, want [m1]", fails)
	}
	if n := len(r.queue.sent); n != 0 {
		t.Errorf("requeued %d envelopes of a message that will be redelivered, want 0", n)
	}
}
