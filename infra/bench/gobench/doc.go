// Package gobench runs Go benchmarks (`go test -bench`) and reads their
// output: one Result per benchmark line, with every metric the line
// reports (ns/op, B/op, allocs/op and custom ones such as events/s).
package gobench
