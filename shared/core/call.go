package core

// CallKind tells a record-batch call from a composite call.
type CallKind int

// The two kinds of Zoho call the planner produces.
const (
	// Batch is an insert, update or upsert of up to 100 records of one module.
	Batch CallKind = iota
	// Composite is POST __composite_requests with up to 5 single-record
	// sub-requests, which may refer to each other's results.
	Composite
)

// Call is one planned Zoho API call.
type Call struct {
	Kind CallKind
	Org  string

	// Batch calls: one module, one action, one set of match fields and
	// triggers; Records in request order (index i answers at data[i]).
	Module  string
	Action  Action
	Match   []string
	Trigger []string
	Records []*Operation

	// Composite calls.
	Rollback bool
	Subs     []Sub
}

// Sub is one sub-request of a composite call.
type Sub struct {
	// ID is the sub_request_id, unique within the call.
	ID string
	Op *Operation
	// Refs maps a lookup field of Op to the sub_request_id whose
	// $.data[0].details.id fills it.
	Refs map[string]string
}

// Operations returns the operations a call carries, in request order.
func (c *Call) Operations() []*Operation {
	if c.Kind == Batch {
		return c.Records
	}
	ops := make([]*Operation, len(c.Subs))
	for i := range c.Subs {
		ops[i] = c.Subs[i].Op
	}
	return ops
}
