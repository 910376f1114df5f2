package paxos

import (
	"context"
	"fmt"
	"math/bits"
	"strings"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/assert"
)

// Limits of the packed State.
const (
	msgWords     = 4
	msgBitsMax   = msgWords * 64
	acceptorsMax = 5
	fieldBits    = 4 // one acceptor field, stored as value+1 so -1 fits
	acceptorBits = 3 * fieldBits
)

// Defaults used by the registry when Params.Size is zero.
const (
	AcceptorsDefault = 3
	ValuesDefault    = 2
	BallotsDefault   = 2
)

// none is both "no ballot" (-1) and the value None.
const none = -1

// State packs msgs as a bitset over the finite message universe and, per
// acceptor, maxBal, maxVBal and maxVal (each stored plus one, in 4 bits).
type State struct {
	msgs      [msgWords]uint64
	acceptors uint64
}

func (s State) has(i int) bool { return s.msgs[i/64]>>(i%64)&1 == 1 }

func (s State) with(i int) State {
	s.msgs[i/64] |= 1 << (i % 64)
	return s
}

func (s State) field(a, f int) int {
	return int(s.acceptors>>(a*acceptorBits+f*fieldBits)&(1<<fieldBits-1)) - 1
}

func (s State) withField(a, f, v int) State {
	shift := a*acceptorBits + f*fieldBits
	s.acceptors = s.acceptors&^((1<<fieldBits-1)<<shift) | uint64(v+1)<<shift
	return s
}

// Acceptor fields.
const (
	fieldMaxBal = iota
	fieldMaxVBal
	fieldMaxVal
)

// Action kinds, in Next's order.
const (
	kindPhase1a uint8 = iota
	kindPhase2a
	kindPhase1b
	kindPhase2b
)

// Action is an action instance: Phase1a(bal), Phase2a(bal, val), and Phase1b(acc)
// or Phase2b(acc) with the message it receives (the witness of \E m \in msgs).
type Action struct {
	kind          uint8
	acc, bal, val int8
}

// Model is Paxos with Acceptors acceptors, Values values and ballots
// 0..Ballots-1.
type Model struct {
	Acceptors, Values, Ballots int
	quorums                    []uint32 // bitmasks of acceptors
}

// New returns the model with majority quorums; a configuration whose messages
// do not fit the packed State is a programmer error.
func New(acceptors, values, ballots int) *Model {
	return NewWithQuorum(acceptors, values, ballots, acceptors/2+1)
}

// NewWithQuorum uses every set of quorumSize acceptors as a quorum; below a
// majority two quorums may not intersect and Consistency fails, which is how
// the tests plant a bug.
func NewWithQuorum(acceptors, values, ballots, quorumSize int) *Model {
	m := &Model{Acceptors: acceptors, Values: values, Ballots: ballots}
	assert.That(acceptors >= 1 && acceptors <= acceptorsMax && values >= 1 && ballots >= 1 &&
		values < 1<<fieldBits-1 && ballots < 1<<fieldBits-1 && m.universe() <= msgBitsMax,
		"paxos: configuration %d acceptors, %d values, %d ballots does not fit", acceptors, values, ballots)
	for q := uint32(1); q < 1<<acceptors; q++ {
		if bits.OnesCount32(q) == quorumSize {
			m.quorums = append(m.quorums, q)
		}
	}
	return m
}

// Message indexes in the bitset: 1a, then 1b, then 2a, then 2b.
func (m *Model) idx1a(b int) int { return b }
func (m *Model) base1b() int     { return m.Ballots }
func (m *Model) idx1b(a, b, mbal, mval int) int {
	return m.base1b() + ((a*m.Ballots+b)*(m.Ballots+1)+mbal+1)*(m.Values+1) + mval + 1
}
func (m *Model) base2a() int           { return m.base1b() + m.Acceptors*m.Ballots*(m.Ballots+1)*(m.Values+1) }
func (m *Model) idx2a(b, v int) int    { return m.base2a() + b*m.Values + v }
func (m *Model) base2b() int           { return m.base2a() + m.Ballots*m.Values }
func (m *Model) idx2b(a, b, v int) int { return m.base2b() + (a*m.Ballots+b)*m.Values + v }
func (m *Model) universe() int         { return m.base2b() + m.Acceptors*m.Ballots*m.Values }

func (m *Model) Name() string {
	return fmt.Sprintf("paxos(acceptors=%d,values=%d,ballots=%d)", m.Acceptors, m.Values, m.Ballots)
}

// InitStates is Init: every acceptor at -1 / -1 / None, no messages.
func (m *Model) InitStates() []State {
	var s State
	for a := range m.Acceptors {
		s = s.withField(a, fieldMaxBal, none).withField(a, fieldMaxVBal, none).withField(a, fieldMaxVal, none)
	}
	return []State{s}
}

// Actions lists the enabled instances in Next's order: for each ballot,
// Phase1a then Phase2a per value; then for each acceptor, Phase1b per 1a
// message and Phase2b per 2a message.
func (m *Model) Actions(s State, actions []Action) []Action {
	for b := range m.Ballots {
		actions = append(actions, Action{kind: kindPhase1a, bal: int8(b)})
		for v := range m.Values {
			if m.phase2aEnabled(s, b, v) {
				actions = append(actions, Action{kind: kindPhase2a, bal: int8(b), val: int8(v)})
			}
		}
	}
	for a := range m.Acceptors {
		for b := range m.Ballots {
			if s.has(m.idx1a(b)) && b > s.field(a, fieldMaxBal) {
				actions = append(actions, Action{kind: kindPhase1b, acc: int8(a), bal: int8(b)})
			}
		}
		for b := range m.Ballots {
			for v := range m.Values {
				if s.has(m.idx2a(b, v)) && b >= s.field(a, fieldMaxBal) {
					actions = append(actions, Action{kind: kindPhase2b, acc: int8(a), bal: int8(b), val: int8(v)})
				}
			}
		}
	}
	return actions
}

func (m *Model) NextState(s State, x Action) (State, bool) {
	a, b, v := int(x.acc), int(x.bal), int(x.val)
	switch x.kind {
	case kindPhase1a:
		return s.with(m.idx1a(b)), true
	case kindPhase2a:
		if !m.phase2aEnabled(s, b, v) {
			return s, false
		}
		return s.with(m.idx2a(b, v)), true
	case kindPhase1b:
		if !s.has(m.idx1a(b)) || b <= s.field(a, fieldMaxBal) {
			return s, false
		}
		sent := m.idx1b(a, b, s.field(a, fieldMaxVBal), s.field(a, fieldMaxVal))
		return s.withField(a, fieldMaxBal, b).with(sent), true
	case kindPhase2b:
		if !s.has(m.idx2a(b, v)) || b < s.field(a, fieldMaxBal) {
			return s, false
		}
		s = s.withField(a, fieldMaxBal, b).withField(a, fieldMaxVBal, b).withField(a, fieldMaxVal, v)
		return s.with(m.idx2b(a, b, v)), true
	}
	assert.That(false, "paxos: unknown action kind %d", x.kind)
	return s, false
}

// phase2aEnabled is the guard of Phase2a(b, v): no 2a message for b yet, and
// some quorum's 1b messages for b show v safe.
func (m *Model) phase2aEnabled(s State, b, v int) bool {
	for w := range m.Values {
		if s.has(m.idx2a(b, w)) {
			return false
		}
	}
	for _, q := range m.quorums {
		if m.showsSafe(s, q, b, v) {
			return true
		}
	}
	return false
}

// showsSafe: every acceptor of q sent a 1b for b, and among those reporting a
// vote (mbal >= 0), one with the highest mbal reported v.
func (m *Model) showsSafe(s State, q uint32, b, v int) bool {
	highest, highestHasV := -1, false
	for a := range m.Acceptors {
		if q>>a&1 == 0 {
			continue
		}
		sentAny := false
		for mbal := none; mbal < m.Ballots; mbal++ {
			for mval := none; mval < m.Values; mval++ {
				if !s.has(m.idx1b(a, b, mbal, mval)) {
					continue
				}
				sentAny = true
				switch {
				case mbal > highest:
					highest, highestHasV = mbal, mval == v
				case mbal == highest && mbal >= 0 && mval == v:
					highestHasV = true
				}
			}
		}
		if !sentAny {
			return false
		}
	}
	return highest < 0 || highestHasV
}

// chosen returns the bitmask of values chosen: voted for in one ballot by
// every acceptor of some quorum.
func (m *Model) chosen(s State) uint32 {
	var out uint32
	for v := range m.Values {
		for b := range m.Ballots {
			for _, q := range m.quorums {
				all := true
				for a := range m.Acceptors {
					if q>>a&1 == 1 && !s.has(m.idx2b(a, b, v)) {
						all = false
						break
					}
				}
				if all {
					out |= 1 << v
				}
			}
		}
	}
	return out
}

// Properties: Consistency (chosen has at most one element) and, to show the
// model is exercised, that some value can be chosen.
func (m *Model) Properties() []explore.Property[State] {
	return []explore.Property[State]{
		explore.Always("Consistency", func(s State) bool { return bits.OnesCount32(m.chosen(s)) <= 1 }),
		explore.Sometimes("ValueChosen", func(s State) bool { return m.chosen(s) != 0 }),
	}
}

func (m *Model) Fingerprint(s State) uint64 {
	h := mix(s.acceptors)
	for _, w := range s.msgs {
		h = mix(h ^ w)
	}
	return h
}

func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func (m *Model) DescribeAction(x Action) string {
	switch x.kind {
	case kindPhase1a:
		return fmt.Sprintf("Phase1a(%d)", x.bal)
	case kindPhase2a:
		return fmt.Sprintf("Phase2a(%d, v%d)", x.bal, x.val+1)
	case kindPhase1b:
		return fmt.Sprintf("Phase1b(a%d) on 1a(%d)", x.acc+1, x.bal)
	}
	return fmt.Sprintf("Phase2b(a%d) on 2a(%d, v%d)", x.acc+1, x.bal, x.val+1)
}

func (m *Model) DescribeState(s State) string {
	var acceptors, msgs []string
	value := func(v int) string {
		if v == none {
			return "None"
		}
		return fmt.Sprintf("v%d", v+1)
	}
	for a := range m.Acceptors {
		acceptors = append(acceptors, fmt.Sprintf("a%d=(%d,%d,%s)", a+1,
			s.field(a, fieldMaxBal), s.field(a, fieldMaxVBal), value(s.field(a, fieldMaxVal))))
	}
	for b := range m.Ballots {
		if s.has(m.idx1a(b)) {
			msgs = append(msgs, fmt.Sprintf("1a(%d)", b))
		}
	}
	for a := range m.Acceptors {
		for b := range m.Ballots {
			for mbal := none; mbal < m.Ballots; mbal++ {
				for mval := none; mval < m.Values; mval++ {
					if s.has(m.idx1b(a, b, mbal, mval)) {
						msgs = append(msgs, fmt.Sprintf("1b(a%d,%d,%d,%s)", a+1, b, mbal, value(mval)))
					}
				}
			}
		}
	}
	for b := range m.Ballots {
		for v := range m.Values {
			if s.has(m.idx2a(b, v)) {
				msgs = append(msgs, fmt.Sprintf("2a(%d,%s)", b, value(v)))
			}
			for a := range m.Acceptors {
				if s.has(m.idx2b(a, b, v)) {
					msgs = append(msgs, fmt.Sprintf("2b(a%d,%d,%s)", a+1, b, value(v)))
				}
			}
		}
	}
	return fmt.Sprintf("[maxBal,maxVBal,maxVal] %s msgs={%s}", strings.Join(acceptors, " "), strings.Join(msgs, ","))
}

func init() {
	explore.Register(explore.Builtin{
		Name: "paxos",
		Doc:  "Lamport's single-decree Paxos (Paxos.tla); size = acceptors (default 3, max 5), 2 values, ballots 0..1",
		Check: func(ctx context.Context, p explore.Params, o explore.Options) (explore.Result, error) {
			acceptors := p.Size
			if acceptors == 0 {
				acceptors = AcceptorsDefault
			}
			if acceptors < 1 || acceptors > acceptorsMax {
				return explore.Result{}, fmt.Errorf("paxos: %d acceptors, want 1..%d", acceptors, acceptorsMax)
			}
			if o.Symmetry {
				return explore.Result{}, explore.ErrNoSymmetry
			}
			return explore.Check[State, Action](ctx, New(acceptors, ValuesDefault, BallotsDefault), o)
		},
	})
}
