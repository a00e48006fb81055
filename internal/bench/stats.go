package bench

import (
	"slices"
	"time"
)

// percentile returns the p-th percentile (0 to 100) of values by the
// nearest-rank method. values is sorted in place; an empty slice gives 0.
func percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return 0
	}
	slices.Sort(values)
	rank := int(p/100*float64(len(values))+0.5) - 1
	rank = min(max(rank, 0), len(values)-1)
	return values[rank]
}

// micros converts durations to microseconds.
func micros(durations []time.Duration) []float64 {
	out := make([]float64, len(durations))
	for i, d := range durations {
		out[i] = float64(d.Nanoseconds()) / 1e3
	}
	return out
}

// latencySummary is the p50 and p99 of one run of calls, in microseconds.
type latencySummary struct {
	p50, p99 float64
}

func summarize(durations []time.Duration) latencySummary {
	values := micros(durations)
	return latencySummary{p50: percentile(values, 50), p99: percentile(values, 99)}
}
