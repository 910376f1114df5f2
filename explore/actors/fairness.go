package actors

// Liveness (explore.Fairness). Weak fairness covers what the system itself
// does: a message continuously in flight to an agent that is up is
// eventually delivered, and a timer continuously armed (and allowed to
// fire) eventually fires. A crashed box eventually restarts when the
// protocol lets no server stay down for good (Instance.DownForGoodMax 0,
// as its simulated liveness phase restarts every box); otherwise a crashed
// box may stay down for ever. The other choices of the environment are not
// fair: a message may be dropped or not (lossy network), a crash may or may
// not happen, and the client may never send its next request. An action is
// recognised across states as ActionKey does: a delivery by its envelope
// (sender, receiver and message, so equal copies are one action), a firing
// by agent and timer name, a restart by box.
//
// A state in which a bound hides an armed timer (one the configuration's
// Fires leaves out, or one due after TimeMax) does not list every action
// the agents have, so it is left out of every lasso (Hidden): a timer the
// search does not fire could be the one that breaks the cycle.

// FairKey implements explore.Fairness.
func (m *Model) FairKey(a Action) (uint64, bool) {
	switch a.Kind {
	case Deliver, Fire:
		return m.ActionKey(a), true
	case Restart:
		return m.ActionKey(a), m.restartFair
	}
	return 0, false
}

// Hidden implements explore.Fairness: some armed timer may not fire.
func (m *Model) Hidden(s State) bool {
	armed := 0
	for _, n := range s.nodes {
		armed += len(n.timers)
	}
	return armed > 0 && len(m.timerActions(s, nil)) < armed
}
