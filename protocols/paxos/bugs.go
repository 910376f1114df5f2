package paxos

import "github.com/orrery-sim/orrery/protocols"

// Planted bugs, each a re-creation of a classic Paxos mistake.
const (
	BugNonintersectingQuorums = "nonintersecting-quorums"
	BugIgnorePromisedValues   = "ignore-promised-values"
	BugPromiseReportsPromised = "promise-reports-promised-ballot"
)

var bugs = []protocols.Bug{
	{Name: BugNonintersectingQuorums, Summary: "quorums with Q1 + Q2 <= N are accepted (Q1 = N - Q2 unless set), so a new leader's phase 1 can miss a chosen value"},
	{Name: BugIgnorePromisedValues, Summary: "a new leader ignores the accepted values reported in promises and proposes its own (or no-ops) in open slots"},
	{Name: BugPromiseReportsPromised, Summary: "an acceptor reports its promised ballot as the ballot of its accepted value (the CASSANDRA-6023 class)"},
}
