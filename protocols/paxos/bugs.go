package paxos

import "github.com/orrery-sim/orrery/protocols"

// Planted bugs, each a re-creation of a classic Paxos mistake.
const (
	BugNonintersectingQuorums = "nonintersecting-quorums"
	BugIgnorePromisedValues   = "ignore-promised-values"
	BugPromiseReportsPromised = "promise-reports-promised-ballot"
	// BugPromiseNotSynced writes a raised promise but does not wait for it to
	// be durable before answering: a crash can take the promise back after
	// the proposer counted it.
	BugPromiseNotSynced = "promise-not-synced"
	// BugNoSessionDedupe applies every decided command, without checking
	// the client's session: a command decided in two slots applies twice.
	BugNoSessionDedupe = "no-session-dedupe"
)

var bugs = []protocols.Bug{
	{Name: BugNonintersectingQuorums, Summary: "quorums with Q1 + Q2 <= N are accepted (Q1 = N - Q2 unless set), so a new leader's phase 1 can miss a chosen value"},
	{Name: BugIgnorePromisedValues, Summary: "a new leader ignores the accepted values reported in promises and proposes its own (or no-ops) in open slots"},
	{Name: BugPromiseReportsPromised, Summary: "an acceptor reports its promised ballot as the ballot of its accepted value (the CASSANDRA-6023 class)"},
	{Name: BugNoSessionDedupe, Summary: "replicas apply a command decided in two slots twice: the session check (client, sequence number) is skipped at apply time (Raft thesis 6.3)"},
	{Name: BugPromiseNotSynced, Summary: "an acceptor answers a prepare before its raised promise is durable, so a crash takes the promise back (Paxos Made Live, section 5.1)"},
}
