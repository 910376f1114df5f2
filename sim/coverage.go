package sim

// Coverage says whether one Sometimes property held during a run.
type Coverage struct {
	Name string
	Held bool
}

// JudgeSometimesOverCampaign leaves Sometimes properties to the caller: a
// run in which one never held does not fail for it; Result.Coverage says
// which held, and the caller judges them over a campaign of runs (a sweep,
// a property test), where only a property that never held in any run
// fails. Coverage is a property of a campaign, not of one seed: a seed that
// happens not to elect a leader exercised other things.
func (w *World) JudgeSometimesOverCampaign() { w.sometimesLater = true }

// coverage lists the Sometimes properties and whether each held, in the
// order they were added.
func (w *World) coverage() []Coverage {
	var out []Coverage
	for _, p := range w.props {
		if p.Kind == Sometimes {
			out = append(out, Coverage{Name: p.Name, Held: p.held})
		}
	}
	return out
}
