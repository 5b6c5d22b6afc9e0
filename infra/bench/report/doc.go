// Package report holds the benchmark's results (written as
// docs/benchmarks.json) and renders them as the Markdown report
// (docs/BENCHMARKS.md). It computes nothing from the system under test;
// ratios and target verdicts are derived here from the measured figures
// only, so the JSON and the Markdown cannot disagree.
package report
