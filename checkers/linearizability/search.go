package linearizability

import (
	"cmp"
	"slices"
)

const (
	// opsPartitionMax bounds one partition so that bitset word offsets fit
	// the cache's 16-bit fields.
	opsPartitionMax = 1 << 20
	// iterationsPerStopCheck spaces out cancellation checks: they cost a
	// lock, a loop iteration costs tens of nanoseconds.
	iterationsPerStopCheck = 1 << 10
)

// Event list markers stored in searcher.match.
const (
	matchOpen   = -1 // a call event of an open operation: no return event
	matchReturn = -2 // a return event
)

// frame is one linearized operation on the search stack. Its successor
// states are arena[start:end]; arena[cur] is the one taken.
type frame struct {
	event           int32
	start, end, cur int32
	// dominant marks a read-only operation taken as soon as it was allowed:
	// if the configuration after it fails, so does the one before.
	dominant bool
}

// prefix is the longest linearizable prefix met at a dead end, or the full
// linearization on success. Operation numbers are local to the partition.
type prefix[S any] struct {
	ops        []int
	states     []S
	candidates []int
	deadline   int
}

// searcher checks one partition with Lowe's just-in-time linearization: call
// and return events sit in a doubly linked list (arrays, with head and tail
// sentinels); linearizing an operation lifts its two events out, and
// backtracking puts them back (dancing links). Only operations whose call
// precedes the first remaining return event may be linearized next.
type searcher[S, I, O any] struct {
	model    *Model[S, I, O]
	ops      []Operation[I, O]
	readOnly []bool

	next, prev []int32
	eventOp    []int32
	match      []int32
	head, tail int32

	zobrist   []uint64
	bits      []uint64
	bitsHash  uint64
	remaining int // completed operations not yet linearized

	cache  stateCache[S]
	frames []frame
	arena  []S
	best   prefix[S]

	stop       func() bool
	iterations int
	// Where a suspended search resumes.
	mode searchMode
	at   int32
}

func newSearcher[S, I, O any](m *Model[S, I, O], ops []Operation[I, O], stop func() bool) *searcher[S, I, O] {
	if len(ops) > opsPartitionMax {
		panic("linearizability: partition exceeds opsPartitionMax operations")
	}
	s := &searcher[S, I, O]{
		model:    m,
		ops:      ops,
		readOnly: make([]bool, len(ops)),
		zobrist:  make([]uint64, len(ops)),
		bits:     make([]uint64, (len(ops)+63)/64),
		stop:     stop,
		best:     prefix[S]{deadline: -1},
		mode:     modeStart,
	}
	s.cache.init(m.Equal)
	seed := uint64(0x9e3779b97f4a7c15)
	for i, op := range ops {
		s.readOnly[i] = m.ReadOnly(op)
		seed += 0x9e3779b97f4a7c15
		s.zobrist[i] = mix64(seed)
		if !op.Open {
			s.remaining++
		}
	}
	s.buildEvents()
	return s
}

type event struct {
	time     int64
	isReturn bool
	op       int32
}

// buildEvents links call and return events in time order. At equal times
// calls come first, since intervals are closed.
func (s *searcher[S, I, O]) buildEvents() {
	events := make([]event, 0, 2*len(s.ops))
	for i, op := range s.ops {
		events = append(events, event{time: op.Call, op: int32(i)})
		if !op.Open {
			events = append(events, event{time: op.Return, isReturn: true, op: int32(i)})
		}
	}
	slices.SortFunc(events, func(a, b event) int {
		if c := cmp.Compare(a.time, b.time); c != 0 {
			return c
		}
		if a.isReturn != b.isReturn {
			if a.isReturn {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.op, b.op)
	})
	n := int32(len(events))
	s.head, s.tail = n, n+1
	s.next = make([]int32, n+2)
	s.prev = make([]int32, n+2)
	s.eventOp = make([]int32, n)
	s.match = make([]int32, n)
	callEvent := make([]int32, len(s.ops))
	for i, ev := range events {
		e := int32(i)
		s.eventOp[e] = ev.op
		s.prev[e], s.next[e] = e-1, e+1
		if ev.isReturn {
			s.match[e] = matchReturn
			s.match[callEvent[ev.op]] = e
		} else {
			s.match[e] = matchOpen
			callEvent[ev.op] = e
		}
	}
	s.next[s.head], s.prev[s.tail] = 0, n-1
	if n > 0 {
		s.prev[0] = s.head
	} else {
		s.next[s.head] = s.tail
		s.prev[s.tail] = s.head
	}
}

func (s *searcher[S, I, O]) lift(e int32) {
	s.next[s.prev[e]] = s.next[e]
	s.prev[s.next[e]] = s.prev[e]
	if r := s.match[e]; r >= 0 {
		s.next[s.prev[r]] = s.next[r]
		s.prev[s.next[r]] = s.prev[r]
	}
}

// unlift undoes lift; calls must be in reverse order of lifts.
func (s *searcher[S, I, O]) unlift(e int32) {
	if r := s.match[e]; r >= 0 {
		s.next[s.prev[r]] = r
		s.prev[s.next[r]] = r
	}
	s.next[s.prev[e]] = e
	s.prev[s.next[e]] = e
}

func (s *searcher[S, I, O]) current() S {
	if len(s.frames) == 0 {
		return s.arena[0]
	}
	return s.arena[s.frames[len(s.frames)-1].cur]
}

type searchMode uint8

const (
	modeStart     searchMode = iota // nothing done yet
	modeArrive                      // a configuration seen for the first time
	modeScan                        // trying candidates from event `at` on
	modeBacktrack                   // the configuration on top failed
)

// run searches for a linearization until a verdict, or returns Unknown when
// it has done iterationsMax iterations in all or stop says so; it can then
// be resumed. It is iterative so that deep histories cannot overflow the
// goroutine stack, and resumable so that partitions can share the machine
// in deterministic rounds.
func (s *searcher[S, I, O]) run(iterationsMax int) Verdict {
	mode, at := s.mode, s.at
	defer func() { s.mode, s.at = mode, at }()
	if mode == modeStart {
		s.arena = append(s.arena[:0], s.model.Init())
		s.cache.insert(s.bits, mix64(s.model.Hash(s.arena[0])), s.arena[0])
		mode = modeArrive
	}
	for {
		if s.iterations >= iterationsMax {
			return Unknown
		}
		s.iterations++
		if s.iterations%iterationsPerStopCheck == 0 && s.stop() {
			return Unknown
		}
		switch mode {
		case modeArrive:
			if s.remaining == 0 {
				s.record(-1)
				return Ok
			}
			pushed, failed := s.readOnlyPass()
			switch {
			case pushed:
			case failed:
				mode = modeBacktrack
			default:
				mode, at = modeScan, s.next[s.head]
			}
		case modeScan:
			pushed, stuck := s.scan(at)
			if pushed {
				mode = modeArrive
			} else {
				if len(s.frames) > len(s.best.ops) || s.best.deadline < 0 {
					s.record(stuck)
				}
				mode = modeBacktrack
			}
		case modeBacktrack:
			if len(s.frames) == 0 {
				return Illegal
			}
			pushed, resume := s.pop()
			switch {
			case pushed:
				mode = modeArrive
			case resume >= 0:
				mode, at = modeScan, resume
			}
		}
	}
}

// readOnlyPass tries the read-only candidates first: one that is allowed now
// may as well be linearized now, since it cannot change what follows and no
// pending operation has to precede it. So if the configuration after it was
// already explored (and failed), this one fails too.
func (s *searcher[S, I, O]) readOnlyPass() (pushed, failed bool) {
	for e := s.next[s.head]; s.match[e] != matchReturn; e = s.next[e] {
		if !s.readOnly[s.eventOp[e]] {
			continue
		}
		start, end := s.expand(e)
		if start == end {
			continue
		}
		if s.tryFrom(e, start, end, start, true) {
			return true, false
		}
		s.arena = s.arena[:start]
		return false, true
	}
	return false, false
}

// scan tries the candidates from event at up to the first return event, and
// reports that event when none can be linearized.
func (s *searcher[S, I, O]) scan(at int32) (pushed bool, stuck int32) {
	e := at
	for ; s.match[e] != matchReturn; e = s.next[e] {
		if e == s.tail {
			panic("linearizability: scan ran off the event list")
		}
		if s.readOnly[s.eventOp[e]] {
			continue // tried by readOnlyPass on arrival
		}
		start, end := s.expand(e)
		if s.tryFrom(e, start, end, start, false) {
			return true, 0
		}
		s.arena = s.arena[:start]
	}
	return false, e
}

// expand appends to the arena the states the operation of call event e may
// leave from the current state.
func (s *searcher[S, I, O]) expand(e int32) (start, end int32) {
	op := &s.ops[s.eventOp[e]]
	state := s.current()
	start = int32(len(s.arena))
	switch {
	case op.Open:
		s.arena = append(s.arena, s.model.StepOpen(state, op.Input)...)
	case s.model.StepAll != nil:
		s.arena = append(s.arena, s.model.StepAll(state, op.Input, op.Output)...)
	default:
		if ok, next := s.model.Step(state, op.Input, op.Output); ok {
			s.arena = append(s.arena, next)
		}
	}
	return start, int32(len(s.arena))
}

// tryFrom linearizes the operation of call event e into the first successor
// arena[from:end] that leads to an unexplored configuration.
func (s *searcher[S, I, O]) tryFrom(e, start, end, from int32, dominant bool) bool {
	opIndex := s.eventOp[e]
	open := s.ops[opIndex].Open
	word, bit := opIndex/64, uint64(1)<<(opIndex%64)
	hash := s.bitsHash ^ s.zobrist[opIndex]
	for i := from; i < end; i++ {
		state := s.arena[i]
		// An open operation that changes nothing is dominated by leaving it
		// out: it has no return, so nothing has to follow it.
		if open && s.model.Equal(state, s.current()) {
			continue
		}
		s.bits[word] |= bit
		if !s.cache.insert(s.bits, hash^mix64(s.model.Hash(state)), state) {
			s.bits[word] &^= bit
			continue
		}
		s.frames = append(s.frames, frame{event: e, start: start, end: end, cur: i, dominant: dominant})
		s.lift(e)
		s.bitsHash = hash
		if !open {
			s.remaining--
		}
		return true
	}
	return false
}

// pop undoes the top frame and tries its operation's next successor state;
// failing that it reports the event to resume scanning from, or -1 when the
// frame was dominant and its parent configuration fails too.
func (s *searcher[S, I, O]) pop() (pushed bool, resume int32) {
	f := s.frames[len(s.frames)-1]
	s.frames = s.frames[:len(s.frames)-1]
	s.unlift(f.event)
	opIndex := s.eventOp[f.event]
	s.bits[opIndex/64] &^= uint64(1) << (opIndex % 64)
	s.bitsHash ^= s.zobrist[opIndex]
	if !s.ops[opIndex].Open {
		s.remaining++
	}
	if f.dominant {
		s.arena = s.arena[:f.start]
		return false, -1
	}
	if s.tryFrom(f.event, f.start, f.end, f.cur+1, false) {
		return true, 0
	}
	s.arena = s.arena[:f.start]
	return false, s.next[f.event]
}

// record keeps the current stack as the best prefix; stuck is the return
// event the search could not get past, or -1 on success.
func (s *searcher[S, I, O]) record(stuck int32) {
	b := &s.best
	b.ops, b.states, b.candidates = b.ops[:0], b.states[:0], b.candidates[:0]
	for _, f := range s.frames {
		b.ops = append(b.ops, int(s.eventOp[f.event]))
		b.states = append(b.states, s.arena[f.cur])
	}
	b.deadline = -1
	if stuck < 0 {
		return
	}
	b.deadline = int(s.eventOp[stuck])
	for e := s.next[s.head]; e != stuck; e = s.next[e] {
		b.candidates = append(b.candidates, int(s.eventOp[e]))
	}
}
