package plan

import (
	"errors"
	"fmt"

	"github.com/zohosync/zohosync/shared/core"
)

// Reasons an operation is rejected; an OpError wraps one of them, so callers
// can branch with errors.Is.
var (
	// ErrInvalidOp: the operation itself cannot be sent (no org or module,
	// unknown action, update without record id, reference without field).
	ErrInvalidOp = errors.New("invalid operation")
	// ErrDuplicateID: two operations of one event share an ID.
	ErrDuplicateID = errors.New("duplicate operation id in event")
	// ErrUnknownRef: a reference names no operation of the same event.
	ErrUnknownRef = errors.New("reference to unknown operation")
	// ErrRefCycle: references (or two writes of one record in one event)
	// form a cycle, so no order can satisfy them.
	ErrRefCycle = errors.New("reference cycle")
	// ErrDependsOnRejected: the operation refers to a rejected operation.
	ErrDependsOnRejected = errors.New("refers to a rejected operation")
)

// OpError says why the planner rejected an operation.
type OpError struct {
	// ID is the operation's ID within its event.
	ID string
	// Reason is one of the Err* sentinels of this package.
	Reason error
	// Detail names the offending field or reference, if any.
	Detail string
}

// Error says which operation was rejected and why.
func (e *OpError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("operation %q: %v", e.ID, e.Reason)
	}
	return fmt.Sprintf("operation %q: %v: %s", e.ID, e.Reason, e.Detail)
}

// Unwrap returns the reason, for errors.Is.
func (e *OpError) Unwrap() error { return e.Reason }

// Rejected is an input operation the planner could not place, and why.
type Rejected struct {
	Op  *core.Operation
	Err error
}

func opErr(op *core.Operation, reason error, detail string) *OpError {
	id := ""
	if op != nil {
		id = op.ID
	}
	return &OpError{ID: id, Reason: reason, Detail: detail}
}

// validate checks what an operation needs on its own to be sent.
func validate(op *core.Operation) error {
	switch {
	case op == nil:
		return opErr(nil, ErrInvalidOp, "nil operation")
	case op.Org == "":
		return opErr(op, ErrInvalidOp, "no org")
	case op.Module == "":
		return opErr(op, ErrInvalidOp, "no module")
	case !op.Action.Valid():
		return opErr(op, ErrInvalidOp, fmt.Sprintf("action %q", op.Action))
	case op.Action == core.Update && op.RecordID == "":
		return opErr(op, ErrInvalidOp, "update without record id")
	}
	for _, r := range op.Refs {
		if r.Field == "" || r.Op == "" {
			return opErr(op, ErrInvalidOp, "reference without field or target")
		}
	}
	return nil
}
