package raftsafety

import "github.com/orrery-sim/orrery/sim"

// View is what the checker reads of one server after one of its handlers. The
// checker calls it only between handlers, from the property checks.
//
// A View must be comparable, and a server's View must change (compare
// unequal) when its agent restarts and stay equal while it runs: typically
// it is the agent pointer itself, or a pointer type converted from it. The
// checker keeps the last View of a server that went down and keeps reading
// its log: a crashed server may restart and campaign with what it had
// persisted, so an implementation that persists before it sends (as Raft
// requires) answers with its durable log.
type View interface {
	// Term is the server's current term (durable).
	Term() uint64
	// Vote is the candidate the server voted for in Term, if any (durable).
	Vote() (candidate sim.NodeID, ok bool)
	// Leader reports whether the server believes it leads in Term.
	Leader() bool
	// Commit and Applied are the server's commit and applied indexes
	// (volatile: a restart resets them, to the snapshot's index at least).
	Commit() uint64
	Applied() uint64

	// Snapshot is the last index and term covered by the server's snapshot
	// (0, 0 without one); the log holds the entries after it, up to LastIndex.
	Snapshot() (index, term uint64)
	// LastIndex is the index of the last entry of the log (the snapshot's
	// index when the log after it is empty).
	LastIndex() uint64
	// TermAt returns the term of the entry at index i, for Snapshot's index
	// <= i <= LastIndex (at the snapshot's index: the snapshot's term); ok is
	// false outside that range. It is called often: keep it cheap.
	TermAt(i uint64) (term uint64, ok bool)
	// Entry returns the term and the content digest of the entry at index i,
	// for Snapshot's index < i <= LastIndex; ok is false outside that range.
	// Entries with the same content (command, client, sequence number, ...)
	// must have equal digests on every server; Digest helps build one.
	Entry(i uint64) (term, digest uint64, ok bool)

	// WrittenFrom is the lowest log index the last handler wrote (appended,
	// overwrote, truncated from, or installed a snapshot below), 0 when it
	// wrote none. The checker re-checks the log from there. An implementation
	// that cannot tell may return Snapshot's index + 1: correct, but the whole
	// log is then re-checked after every handler.
	WrittenFrom() uint64
	// AppliedNow lists, in order, what the last handler applied to the state
	// machine: each committed entry, or a snapshot installed from the leader.
	// The slice is read before the next handler runs and is not kept.
	AppliedNow() []Applied

	// DescribeEntry renders the entry at i for explanations, "" when the
	// server holds no such entry. It is called when an index is first seen
	// committed (then it must render an entry the last handler applied, even
	// if the handler went on to compact it into a snapshot) and when a
	// property fails.
	DescribeEntry(i uint64) string
}

// Applied is one step of a server's state machine, as listed by
// View.AppliedNow.
type Applied struct {
	Index uint64
	// Term and Digest are those of the entry applied (as View.Entry reports
	// them); for an installed snapshot, Term is the snapshot's term.
	Term, Digest uint64
	// Snapshot is true when the state machine was replaced by a snapshot up
	// to Index instead of applying an entry.
	Snapshot bool
	// State fingerprints the state machine after Index (equal states, equal
	// fingerprints), so that replicas are compared too, not only their logs;
	// HasState false leaves that comparison out.
	State    uint64
	HasState bool
}

// Digest is a 64-bit FNV-1a fingerprint of data, for View.Entry digests
// (fold in the entry type and anything else that tells entries apart).
func Digest(h uint64, data []byte) uint64 {
	if h == 0 {
		h = fnvOffset
	}
	for _, b := range data {
		h ^= uint64(b)
		h *= fnvPrime
	}
	return h
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)
