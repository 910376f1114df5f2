package raft

import "github.com/orrery-sim/orrery/protocols"

// Planted bugs, each a re-creation of a real class of Raft bug.
const (
	BugFigure8            = "figure8"
	BugVoteNotPersisted   = "vote-not-persisted"
	BugCommitPastVerified = "commit-past-verified"
	BugStaleRead          = "stale-read"
	BugVoteCount          = "vote-count"
	BugTruncateOnStale    = "truncate-on-stale"

	// Membership changes. A run with one of these planted has spares and
	// reconfigurations unless -param spares says otherwise.
	BugConfigBeforeCommit  = "config-before-commit"
	BugSnapshotDropsConfig = "snapshot-drops-config"
	BugNonVoterVote        = "nonvoter-vote"
)

var bugs = []protocols.Bug{
	{Name: BugFigure8, Summary: "a leader commits an entry of an earlier term by counting its replicas (Raft paper, Figure 8)"},
	{Name: BugVoteNotPersisted, Summary: "a vote is granted before it is persisted, so a restarted server votes twice in one term"},
	{Name: BugCommitPastVerified, Summary: "a follower sets its commit index to the leader's, past the prefix the AppendEntries verified"},
	{Name: BugStaleRead, Summary: "a leader serves reads from local state without confirming it still leads (no ReadIndex)"},
	{Name: BugVoteCount, Summary: "votes are counted as a number, not a set of voters, so a duplicated grant counts twice"},
	{Name: BugTruncateOnStale, Summary: "a follower truncates matching entries on a stale or duplicated AppendEntries"},
	{Name: BugConfigBeforeCommit, Summary: "a new leader appends a configuration change before committing an entry of its term (Ongaro, raft-dev, July 2015)"},
	{Name: BugSnapshotDropsConfig, Summary: "a snapshot does not carry the configuration, so a server restored from it falls back to the first one (moby/swarmkit#238)"},
	{Name: BugNonVoterVote, Summary: "a candidate counts vote grants from servers that are not voters of its configuration (rabbitmq/ra#427, tikv/raft-rs#57)"},
}

// membershipBug reports whether a planted bug needs membership changes.
func membershipBug(name string) bool {
	switch name {
	case BugConfigBeforeCommit, BugSnapshotDropsConfig, BugNonVoterVote:
		return true
	}
	return false
}
