package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/zohosync/zohosync/infra/zohosim"
)

// parseLatency reads fixed:D, uniform:MIN-MAX or lognormal:MEDIAN,P99.
func parseLatency(s string) (zohosim.Latency, error) {
	kind, arg, _ := strings.Cut(s, ":")
	var l zohosim.Latency
	var err error
	switch kind {
	case "none":
		return l, nil
	case "fixed":
		l.Kind = kind
		l.Fixed, err = time.ParseDuration(arg)
	case "uniform":
		l.Kind = kind
		l.Min, l.Max, err = durationPair(arg, "-")
	case "lognormal":
		l.Kind = kind
		l.Median, l.P99, err = durationPair(arg, ",")
	default:
		err = fmt.Errorf("want fixed:D, uniform:MIN-MAX or lognormal:MEDIAN,P99")
	}
	if err != nil {
		return l, fmt.Errorf("-latency %q: %w", s, err)
	}
	return l, nil
}

func durationPair(s, sep string) (time.Duration, time.Duration, error) {
	a, b, ok := strings.Cut(s, sep)
	if !ok {
		return 0, 0, fmt.Errorf("want two durations separated by %q", sep)
	}
	x, err := time.ParseDuration(a)
	if err != nil {
		return 0, 0, err
	}
	y, err := time.ParseDuration(b)
	return x, y, err
}
