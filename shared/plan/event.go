package plan

import (
	"github.com/zohosync/zohosync/shared/core"
)

// eventKey identifies the event an operation came from: its first Source
// (message, source, event id). Operations without Sources form one event.
type eventKey struct{ msg, source, id string }

func keyOf(op *core.Operation) eventKey {
	if len(op.Sources) == 0 {
		return eventKey{}
	}
	s := op.Sources[0]
	return eventKey{s.MessageID, s.Source, s.EventID}
}

// splitEvents groups operations by event, events in order of first
// appearance and operations in input order; nil operations are rejected.
func splitEvents(ops []*core.Operation, reject func(*core.Operation, error)) [][]*core.Operation {
	index := map[eventKey]int{}
	var events [][]*core.Operation
	for _, op := range ops {
		if op == nil {
			reject(op, opErr(nil, ErrInvalidOp, "nil operation"))
			continue
		}
		k := keyOf(op)
		i, ok := index[k]
		if !ok {
			i = len(events)
			index[k] = i
			events = append(events, nil)
		}
		events[i] = append(events[i], op)
	}
	return events
}

// checkEvent validates one event's operations and the references between
// them. It returns the operations that may be planned, in input order, and
// for each the indexes (into that slice) of its Refs' targets, in Refs
// order. Rejected operations, and every operation that refers to one, go to
// reject.
func checkEvent(ops []*core.Operation, reject func(*core.Operation, error)) ([]*core.Operation, [][]int) {
	if len(ops) == 1 && len(ops[0].Refs) == 0 {
		if err := validate(ops[0]); err != nil {
			reject(ops[0], err)
			return nil, nil
		}
		return ops, [][]int{nil}
	}
	bad := map[*core.Operation]error{}
	byID := make(map[string]*core.Operation, len(ops))
	for _, op := range ops {
		if err := validate(op); err != nil {
			bad[op] = err
		}
		if op.ID == "" {
			continue
		}
		if prev, dup := byID[op.ID]; dup {
			for _, o := range []*core.Operation{prev, op} {
				if _, done := bad[o]; !done {
					bad[o] = opErr(o, ErrDuplicateID, "")
				}
			}
			continue
		}
		byID[op.ID] = op
	}
	targets := make(map[*core.Operation][]*core.Operation, len(ops))
	for _, op := range ops {
		if _, isBad := bad[op]; isBad {
			continue
		}
		for _, r := range op.Refs {
			t := byID[r.Op]
			if t == nil {
				bad[op] = opErr(op, ErrUnknownRef, r.Field+" -> "+r.Op)
				break
			}
			targets[op] = append(targets[op], t)
		}
	}
	for _, op := range findCycles(ops, targets) {
		if _, isBad := bad[op]; !isBad {
			bad[op] = opErr(op, ErrRefCycle, "")
		}
	}
	spreadRejection(ops, targets, bad)
	var ok []*core.Operation
	for _, op := range ops {
		if err, isBad := bad[op]; isBad {
			reject(op, err)
			continue
		}
		ok = append(ok, op)
	}
	return ok, indexTargets(ok, targets)
}

// indexTargets turns per-operation targets into indexes into ops.
func indexTargets(ops []*core.Operation, targets map[*core.Operation][]*core.Operation) [][]int {
	pos := make(map[*core.Operation]int, len(ops))
	for i, op := range ops {
		pos[op] = i
	}
	tg := make([][]int, len(ops))
	for i, op := range ops {
		for _, t := range targets[op] {
			tg[i] = append(tg[i], pos[t])
		}
	}
	return tg
}

// findCycles returns the operations that lie on a reference cycle.
func findCycles(ops []*core.Operation, targets map[*core.Operation][]*core.Operation) []*core.Operation {
	const (
		white = iota
		grey
		black
	)
	color := make(map[*core.Operation]int, len(ops))
	onCycle := map[*core.Operation]bool{}
	var stack []*core.Operation
	var visit func(op *core.Operation)
	visit = func(op *core.Operation) {
		color[op] = grey
		stack = append(stack, op)
		for _, t := range targets[op] {
			switch color[t] {
			case white:
				visit(t)
			case grey:
				for i := len(stack) - 1; i >= 0; i-- {
					onCycle[stack[i]] = true
					if stack[i] == t {
						break
					}
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[op] = black
	}
	var out []*core.Operation
	for _, op := range ops {
		if color[op] == white {
			visit(op)
		}
	}
	for _, op := range ops {
		if onCycle[op] {
			out = append(out, op)
		}
	}
	return out
}

// spreadRejection marks every operation that refers, directly or not, to a
// rejected one.
func spreadRejection(ops []*core.Operation, targets map[*core.Operation][]*core.Operation, bad map[*core.Operation]error) {
	for changed := true; changed; {
		changed = false
		for _, op := range ops {
			if _, isBad := bad[op]; isBad {
				continue
			}
			for _, t := range targets[op] {
				if _, tBad := bad[t]; tBad {
					bad[op] = opErr(op, ErrDependsOnRejected, t.ID)
					changed = true
					break
				}
			}
		}
	}
}
