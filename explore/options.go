package explore

import (
	"errors"
	"io"
	"time"
)

// Strategy selects the search order.
type Strategy uint8

const (
	// BFS explores level by level, on Options.Workers goroutines, and finds
	// shortest counterexamples.
	BFS Strategy = iota
	// DFS explores depth first on one goroutine; its stack is the path, so it
	// stores no parent links.
	DFS
	// RandomWalk runs seeded random walks from the initial states; it proves
	// nothing but reaches deep states quickly.
	RandomWalk
)

func (s Strategy) String() string {
	switch s {
	case BFS:
		return "bfs"
	case DFS:
		return "dfs"
	case RandomWalk:
		return "random"
	}
	return "invalid"
}

// Defaults for options left zero.
const (
	WalksMaxDefault        = 1000 // Options.WalksMax when 0
	walkDepthMaxDefault    = 100
	progressEveryDefault   = 5 * time.Second
	progressEveryMinimumMs = 10
)

// Options configure a search. The zero value is a complete parallel BFS in
// fingerprint mode on all cores with no limits and no deadlock check.
type Options struct {
	Strategy Strategy
	// Workers is the number of goroutines of a BFS; 0 means GOMAXPROCS. The
	// result does not depend on it.
	Workers int
	// Symmetry stores one representative per orbit; the model must implement
	// Symmetric.
	Symmetry bool
	// FullState stores canonical encodings instead of fingerprints, so the
	// count is exact whatever the fingerprint, and counts fingerprint
	// collisions; the model must implement Encoder.
	FullState bool
	// Reduce turns on partial-order reduction with sleep sets (BFS and DFS):
	// the same states and verdicts, fewer transitions taken. The model must
	// implement Independence; it excludes Symmetry.
	Reduce bool
	// Liveness checks the model's Eventually properties by a lasso search
	// over the stored graph under weak fairness (see lasso.go), after the
	// safety search. It needs BFS without Symmetry, Reduce or FullState and
	// stores every transition; without it, Eventually properties are
	// reported unchecked and the search costs nothing extra.
	Liveness bool
	// Deadlock reports a reachable state with no enabled action that is not
	// terminal (see Terminal).
	Deadlock bool
	// StatesMax stops the search once this many distinct states are stored
	// (BFS stops at exactly this many, in canonical order); 0 means no limit.
	StatesMax int64
	// DepthMax bounds the depth, counted as TLC does (an initial state has depth
	// 1): states at this depth are not expanded. 0 means no limit, except for
	// random walks, whose length defaults to 100.
	DepthMax int
	// Seed drives RandomWalk.
	Seed uint64
	// WalksMax is the number of random walks; 0 means 1000.
	WalksMax int
	// MemoryMax stops the search (Result.Limit "memory") once the process
	// holds this many bytes of memory from the OS (memlimit.InUse), polled
	// with the context every few thousand states; 0 means no bound.
	MemoryMax uint64
	// Progress, when set, receives a line every ProgressEvery (default 5 s).
	Progress      io.Writer
	ProgressEvery time.Duration
}

// Named configuration errors returned by Check.
var (
	ErrNoSymmetry = errors.New("explore: symmetry reduction needs a model that implements Symmetric")
	ErrNoEncoder  = errors.New("explore: full-state mode needs a model that implements Encoder")
	ErrStrategy   = errors.New("explore: unknown strategy")
)
