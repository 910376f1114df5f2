package main

import (
	"fmt"
	"io"
	"math"
	"slices"
)

// printOverall scores each strategy over the bugs every strategy was
// measured on, prints the ranking (best first) and returns it.
func printOverall(w io.Writer, rows []row) []score {
	type bug struct{ protocol, name string }
	medians := map[bug]map[string]float64{}
	var order []string
	var bugs []bug
	for _, r := range rows {
		if r.Unit == "states" {
			continue
		}
		k := bug{r.Protocol, r.Bug}
		if medians[k] == nil {
			medians[k] = map[string]float64{}
			bugs = append(bugs, k)
		}
		m := float64(r.Median)
		if r.Median == 0 {
			m = 2 * float64(r.Bound)
		}
		medians[k][r.Strategy] = m
		if !slices.Contains(order, r.Strategy) {
			order = append(order, r.Strategy)
		}
	}
	scores := make([]score, len(order))
	for i, s := range order {
		scores[i].Strategy = s
	}
	for _, k := range bugs {
		best := math.Inf(1)
		for _, s := range order {
			best = min(best, medians[k][s])
		}
		winners := 0
		for _, s := range order {
			if medians[k][s] == best {
				winners++
			}
		}
		for i, s := range order {
			m := medians[k][s]
			scores[i].GeoMean += math.Log(m)
			if m == best {
				scores[i].Best += 1 / float64(winners)
			}
			if m > float64(1<<40) || isMissed(rows, k.protocol, k.name, s) {
				scores[i].Missed++
			}
		}
	}
	for i := range scores {
		scores[i].GeoMean = math.Round(math.Exp(scores[i].GeoMean/float64(max(len(bugs), 1)))*100) / 100
		scores[i].Best = math.Round(scores[i].Best*100) / 100
	}
	slices.SortStableFunc(scores, func(a, b score) int {
		switch {
		case a.GeoMean < b.GeoMean:
			return -1
		case a.GeoMean > b.GeoMean:
			return 1
		}
		return 0
	})
	fmt.Fprintf(w, "\noverall over %d bugs (geometric mean of the medians, not found = 2x bound; bugs where the median is lowest, ties shared; medians not found)\n", len(bugs))
	for _, s := range scores {
		fmt.Fprintf(w, "  %-9s %8.2f %6.2f %3d\n", s.Strategy, s.GeoMean, s.Best, s.Missed)
	}
	return scores
}

func isMissed(rows []row, protocol, bug, strategy string) bool {
	for _, r := range rows {
		if r.Protocol == protocol && r.Bug == bug && r.Strategy == strategy {
			return r.Median == 0
		}
	}
	return false
}
