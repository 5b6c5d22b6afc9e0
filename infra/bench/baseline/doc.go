// Package baseline holds the Go benchmark the micro benchmarks are quoted
// against: one HMAC-SHA256 over the Stripe customer.created sample, a
// fixed CPU workload that shows how fast the machine was while the
// benchmarks ran. `make bench` runs it before and after the others.
package baseline
