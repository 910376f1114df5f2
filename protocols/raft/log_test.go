package raft

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// logOf builds a log after a snapshot at (snapIndex, snapTerm) with entries of
// the given terms.
func logOf(snapIndex, snapTerm uint64, terms ...uint64) *raftLog {
	l := &raftLog{snapIndex: snapIndex, snapTerm: snapTerm}
	for i, t := range terms {
		l.append(Entry{Index: snapIndex + 1 + uint64(i), Term: t, Noop: true})
	}
	return l
}

func TestLogHints(t *testing.T) {
	l := logOf(2, 1, 1, 2, 2, 2, 4) // indexes 3..7
	type got struct {
		FirstOf5, FirstOf3, LastOf2, LastOf4 uint64
		Has3, UpToDate, Stale                bool
	}
	g := got{FirstOf5: l.firstIndexOfTerm(5), FirstOf3: l.firstIndexOfTerm(3)}
	g.LastOf2, _ = l.lastIndexOfTerm(2)
	g.LastOf4, _ = l.lastIndexOfTerm(4)
	_, g.Has3 = l.lastIndexOfTerm(3)
	g.UpToDate = l.upToDate(7, 4) && l.upToDate(1, 5)
	g.Stale = l.upToDate(6, 4) || l.upToDate(100, 3)
	want := got{FirstOf5: 4, FirstOf3: 3, LastOf2: 6, LastOf4: 7}
	want.UpToDate = true
	if diff := cmp.Diff(want, g); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestLogCompactTruncate(t *testing.T) {
	l := logOf(0, 0, 1, 1, 2, 3, 3)
	l.compact(3, 2)
	if l.firstIndex() != 4 || l.lastIndex() != 5 || l.lastTerm() != 3 {
		t.Fatalf("after compact: first %d last %d/%d", l.firstIndex(), l.lastIndex(), l.lastTerm())
	}
	if term, ok := l.term(3); !ok || term != 2 {
		t.Fatalf("snapshot term %d %v", term, ok)
	}
	if _, ok := l.term(2); ok {
		t.Fatal("term of a compacted entry is known")
	}
	l.truncateFrom(5)
	if got := l.slice(4, 4); len(got) != 1 || got[0].Index != 4 || l.lastIndex() != 4 {
		t.Fatalf("after truncate: %v, last %d", got, l.lastIndex())
	}
	l.reset(10, 4)
	if l.lastIndex() != 10 || l.lastTerm() != 4 || len(l.entries) != 0 {
		t.Fatalf("after reset: last %d/%d", l.lastIndex(), l.lastTerm())
	}
}

func TestKVSessionsApplyOnce(t *testing.T) {
	s := newKV()
	put := Command{Client: 7, Seq: 1, Op: Op{Kind: OpAppend, Key: "a", Value: "x"}}
	r1, dup1 := s.apply(put)
	r2, dup2 := s.apply(put) // a retry of the same command
	s.apply(Command{Client: 7, Seq: 2, Op: Op{Kind: OpCAS, Key: "a", Expect: "x", Value: "y"}})
	_, dup3 := s.apply(put) // a late duplicate after a newer command
	if dup1 || !dup2 || !dup3 || r1 != r2 || s.Data["a"] != "y" {
		t.Fatalf("r1 %v dup1 %v r2 %v dup2 %v dup3 %v data %v", r1, dup1, r2, dup2, dup3, s.Data)
	}
	if got := decodeKV(s.encode()); got.hash() != s.hash() {
		t.Fatal("snapshot round trip changes the state")
	}
}
