// Package stats summarises latency samples for the benchmark report:
// nearest-rank percentiles over durations, and a recorder that collects
// durations from many goroutines.
package stats
