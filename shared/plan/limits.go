package plan

// Binding names the limit that constrains an org right now; it decides what
// the planner optimises first.
type Binding int

// The bindings. None plans full batches and composite chains where they
// save credits; Credits additionally packs small leftovers of different
// modules into composites; Concurrency minimises concurrency units (calls);
// SubConcurrency keeps every batch at 10 records or fewer and avoids
// composites, so no call needs a sub-concurrency slot. Auto picks one from
// the numbers in Limits.
const (
	None Binding = iota
	Credits
	Concurrency
	SubConcurrency
	Auto
)

// String names the binding ("none", "credits", ...).
func (b Binding) String() string {
	switch b {
	case None:
		return "none"
	case Credits:
		return "credits"
	case Concurrency:
		return "concurrency"
	case SubConcurrency:
		return "sub-concurrency"
	case Auto:
		return "auto"
	}
	return "unknown"
}

// Limits describes what an org can spend now. The zero value means no limit
// binds (Bind None) and plans full batches.
type Limits struct {
	// Bind is the limit to optimise for. Auto derives it from the numbers
	// below: a default plan is made, and the first limit it would exceed, in
	// the order credits, sub-concurrency, concurrency, binds.
	Bind Binding
	// Units are the concurrency units available, Sub the sub-concurrency
	// slots available and Credits the credits left in the rolling 24-hour
	// window. A negative number means unknown. Only Auto reads them; the
	// concurrency figures are compared with the busiest stage's needs.
	Units, Sub, Credits int
}

// resolve returns the binding the plan is made for, given the default plan's
// total and per-stage peak costs.
func (l Limits) resolve(total, peak Cost) Binding {
	if l.Bind != Auto {
		return l.Bind
	}
	switch {
	case l.Credits >= 0 && total.Credits > l.Credits:
		return Credits
	case l.Sub >= 0 && peak.Sub > l.Sub:
		return SubConcurrency
	case l.Units >= 0 && peak.Units > l.Units:
		return Concurrency
	}
	return None
}

// chunkSize is the most records one batch call carries under b.
func (b Binding) chunkSize() int {
	if b == SubConcurrency {
		return SmallBatch
	}
	return MaxRecords
}

// better reports whether x is cheaper than y, compared lexicographically in
// the order the binding limit dictates (the binding resource first).
func (b Binding) better(x, y Cost) bool {
	order := func(c Cost) [4]int {
		switch b {
		case Concurrency:
			return [4]int{c.Units, c.Credits, c.Sub, c.Calls}
		case SubConcurrency:
			return [4]int{c.Sub, c.Credits, c.Units, c.Calls}
		}
		return [4]int{c.Credits, c.Units, c.Sub, c.Calls}
	}
	ka, kb := order(x), order(y)
	for i := range ka {
		if ka[i] != kb[i] {
			return ka[i] < kb[i]
		}
	}
	return false
}
