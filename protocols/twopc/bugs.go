package twopc

import "github.com/orrery-sim/orrery/protocols"

// Planted bugs, each a re-creation of a classic two-phase commit mistake.
const (
	BugCommitWithoutVotes  = "commit-without-all-votes"
	BugForgetYesVote       = "forget-yes-vote"
	BugDecisionChanges     = "decision-changes-after-recovery"
	BugAbortReplyOnTimeout = "abort-reply-on-timeout"
)

var bugs = []protocols.Bug{
	{Name: BugCommitWithoutVotes, Summary: "the coordinator, timing out on votes, commits unless someone said no (a missing vote counts as yes)"},
	{Name: BugForgetYesVote, Summary: "a participant sends its yes vote without logging it, so after a crash it forgets the vote and its writes"},
	{Name: BugDecisionChanges, Summary: "after recovery the coordinator re-decides every unfinished transaction, aborting one whose commit it had logged"},
	{Name: BugAbortReplyOnTimeout, Summary: "on the vote timeout the coordinator tells the client its transaction aborted, then waits one more timeout for the missing votes before deciding, so a late yes commits it"},
}
