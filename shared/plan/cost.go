package plan

import "github.com/zohosync/zohosync/shared/core"

// Zoho's limits the planner works within (see docs/ZOHO.md §0, §3, §5).
const (
	// MaxRecords is the most records one insert, update or upsert carries.
	MaxRecords = 100
	// SmallBatch is the largest write that stays out of the shared
	// sub-concurrency group (writes of more than 10 records join it).
	SmallBatch = 10
	// MaxSubs is the most sub-requests of one composite call.
	MaxSubs = 5
	// RecordsPerCredit is how many records one credit pays for in a write.
	RecordsPerCredit = 10
	// CompositeUnits are the concurrency units one composite call holds.
	CompositeUnits = 5
)

// Cost is what calls take from an org's limits: credits from the rolling
// budget, concurrency units and sub-concurrency slots while in flight, and
// the number of calls.
type Cost struct {
	Credits, Units, Sub, Calls int
}

// Add returns the sum of c and d.
func (c Cost) Add(d Cost) Cost {
	return Cost{c.Credits + d.Credits, c.Units + d.Units, c.Sub + d.Sub, c.Calls + d.Calls}
}

// CostOf returns what one call costs. A batch of n records takes ceil(n/10)
// credits, one unit, and a sub-concurrency slot when n > 10. A composite
// takes 1 credit (2 with rollback: the price when nothing is rolled back,
// so reservations cover the worst case), 5 units and one sub-concurrency
// slot. An empty call costs nothing.
func CostOf(call *core.Call) Cost {
	if call.Kind == core.Composite {
		if len(call.Subs) == 0 {
			return Cost{}
		}
		credits := 1
		if call.Rollback {
			credits = 2
		}
		return Cost{Credits: credits, Units: CompositeUnits, Sub: 1, Calls: 1}
	}
	return batchCost(len(call.Records))
}

// batchCost is the cost of one batch call of n records.
func batchCost(n int) Cost {
	if n <= 0 {
		return Cost{}
	}
	c := Cost{Credits: (n + RecordsPerCredit - 1) / RecordsPerCredit, Units: 1, Calls: 1}
	if n > SmallBatch {
		c.Sub = 1
	}
	return c
}

// groupCost is the cost of n records of one group chunked at size k: full
// chunks first, then the remainder.
func groupCost(n, k int) Cost {
	full := batchCost(k)
	c := Cost{
		Credits: full.Credits * (n / k),
		Units:   full.Units * (n / k),
		Sub:     full.Sub * (n / k),
		Calls:   n / k,
	}
	return c.Add(batchCost(n % k))
}

// compositeCost is the cost of n composite calls without rollback.
func compositeCost(n int) Cost {
	return Cost{Credits: n, Units: CompositeUnits * n, Sub: n, Calls: n}
}
