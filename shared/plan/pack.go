package plan

import (
	"cmp"
	"slices"
)

// packCount is how many composite calls best-fit-decreasing packing needs
// for components of the given sizes (hist[s] components of s operations),
// with MaxSubs sub-requests per call. It agrees with pack.
func packCount(hist [MaxSubs + 1]int) int {
	var open [MaxSubs]int // open[r]: calls with r free sub-requests
	calls := 0
	for s := MaxSubs; s >= 1; s-- {
		k := hist[s]
		for k > 0 {
			r := s
			for r < MaxSubs && open[r] == 0 {
				r++
			}
			if r == MaxSubs {
				break
			}
			m := min(k, open[r])
			open[r] -= m
			open[r-s] += m
			k -= m
		}
		if k == 0 {
			continue
		}
		per := MaxSubs / s
		calls += (k + per - 1) / per
		open[MaxSubs-s*per] += k / per
		if rest := k % per; rest > 0 {
			open[MaxSubs-s*rest]++
		}
		open[0] = 0
	}
	return calls
}

// pack assigns components to composite calls, best fit decreasing: largest
// components first (ties in seq order), each into the open call with the
// least room that still fits it, else a new call.
func pack(comps []*comp) [][]*comp {
	sorted := slices.Clone(comps)
	slices.SortStableFunc(sorted, func(a, b *comp) int {
		if d := cmp.Compare(b.size(), a.size()); d != 0 {
			return d
		}
		return cmp.Compare(a.seq(), b.seq())
	})
	var bins [][]*comp
	var free []int
	for _, c := range sorted {
		best := -1
		for i, f := range free {
			if f >= c.size() && (best < 0 || f < free[best]) {
				best = i
			}
		}
		if best < 0 {
			bins = append(bins, nil)
			free = append(free, MaxSubs)
			best = len(bins) - 1
		}
		bins[best] = append(bins[best], c)
		free[best] -= c.size()
	}
	return bins
}
