package twophase

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/orrery-sim/orrery/explore"
	"github.com/orrery-sim/orrery/internal/assert"
)

// RMsMax is the largest number of resource managers a packed State holds.
const RMsMax = 16

// RMsDefault is the size used when Params.Size is zero (TLC's published run).
const RMsDefault = 3

// State packs the TLA+ variables into 50 bits: tmState in bits 0-1, then 3 bits
// per resource manager holding its local view. The Commit and Abort messages
// are implied by tmState (the TM sends Commit exactly when it commits and Abort
// exactly when it aborts, and messages are never removed), and of the 16
// combinations of rmState[rm], "Prepared from rm in msgs" and "rm in tmPrepared"
// only the 7 listed as local codes are reachable; encode asserts that no other
// combination ever arises.
type State uint64

// TM states.
const (
	tmInit uint64 = iota
	tmCommitted
	tmAborted
)

// RM states, as in rmState.
const (
	rmWorking uint8 = iota
	rmPrepared
	rmCommitted
	rmAborted
)

var rmStateNames = [...]string{"working", "prepared", "committed", "aborted"}
var tmStateNames = [...]string{"init", "committed", "aborted", "invalid"}

// local is one resource manager's slice of the state.
type local struct {
	rm       uint8 // rmState[rm]
	sent     bool  // [type |-> "Prepared", rm |-> rm] \in msgs
	received bool  // rm \in tmPrepared
}

// codes lists the reachable local views; a State stores the index.
var codes = [...]local{
	{rmWorking, false, false},
	{rmAborted, false, false},
	{rmPrepared, true, false},
	{rmPrepared, true, true},
	{rmCommitted, true, true},
	{rmAborted, true, false},
	{rmAborted, true, true},
}

const codeInvalid = len(codes)

// codeByView inverts codes: index rmState<<2 | sent<<1 | received.
var codeByView = func() (table [16]int8) {
	for i := range table {
		table[i] = -1
	}
	for code, l := range codes {
		table[viewIndex(l)] = int8(code)
	}
	return table
}()

func viewIndex(l local) int {
	i := int(l.rm) << 2
	if l.sent {
		i |= 2
	}
	if l.received {
		i |= 1
	}
	return i
}

func codeOf(l local) uint64 {
	code := codeByView[viewIndex(l)]
	if code < 0 { // checked here, not in assert.That, whose arguments would allocate
		assert.That(false, "twophase: unreachable local view %+v", l)
	}
	return uint64(code)
}

func (s State) tm() uint64             { return uint64(s) & 3 }
func (s State) code(rm int) uint64     { return uint64(s) >> (2 + 3*rm) & 7 }
func (s State) local(rm int) local     { return codes[s.code(rm)] }
func (s State) withTM(tm uint64) State { return State(uint64(s)&^3 | tm) }

func (s State) withLocal(rm int, l local) State {
	shift := 2 + 3*rm
	return State(uint64(s)&^(7<<shift) | codeOf(l)<<shift)
}

// Action kinds, in the order Actions lists them.
const (
	kindTMCommit uint16 = iota
	kindTMAbort
	kindTMRcvPrepared
	kindRMPrepare
	kindRMChooseToAbort
	kindRMRcvCommitMsg
	kindRMRcvAbortMsg
)

var kindNames = [...]string{"TMCommit", "TMAbort", "TMRcvPrepared", "RMPrepare", "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg"}

// Action is an action instance: kind in the high byte, resource manager in the
// low byte.
type Action uint16

func action(kind uint16, rm int) Action { return Action(kind<<8 | uint16(rm)) }
func (a Action) kind() uint16           { return uint16(a) >> 8 }
func (a Action) rm() int                { return int(a & 0xff) }

// Model is TwoPhase for RMs resource managers. With Bug set, RMChooseToAbort is
// also enabled in a prepared RM (it breaks its promise to abide by the TM's
// decision), which breaks TCConsistent. With NoTimeout set, TMAbort is never
// enabled (a TM without a timeout waits for every Prepared message), which
// breaks Termination: an RM that chooses to abort sends none.
type Model struct {
	RMs       int
	Bug       bool
	NoTimeout bool
}

// BugNoTimeout is the -bug name of NoTimeout (simrun -explore -model
// twophase -eventually -bug no-tm-timeout); any other -bug name sets Bug.
const BugNoTimeout = "no-tm-timeout"

// New returns the model for rms resource managers; rms outside [1, RMsMax] is a
// programmer error.
func New(rms int) *Model {
	assert.That(rms >= 1 && rms <= RMsMax, "twophase: %d resource managers, want 1..%d", rms, RMsMax)
	return &Model{RMs: rms}
}

func (m *Model) Name() string {
	if m.NoTimeout {
		return fmt.Sprintf("twophase(rms=%d,%s)", m.RMs, BugNoTimeout)
	}
	if m.Bug {
		return fmt.Sprintf("twophase(rms=%d,bug)", m.RMs)
	}
	return fmt.Sprintf("twophase(rms=%d)", m.RMs)
}

// InitStates is TPInit: every RM working, the TM in init, nothing sent: the
// zero State.
func (m *Model) InitStates() []State { return []State{0} }

func (m *Model) allReceived(s State) bool {
	for rm := range m.RMs {
		if !s.local(rm).received {
			return false
		}
	}
	return true
}

// Actions lists the enabled action instances in TPNext's order.
func (m *Model) Actions(s State, actions []Action) []Action {
	tm := s.tm()
	if tm == tmInit && m.allReceived(s) {
		actions = append(actions, action(kindTMCommit, 0))
	}
	if tm == tmInit && !m.NoTimeout {
		actions = append(actions, action(kindTMAbort, 0))
	}
	for rm := range m.RMs {
		l := s.local(rm)
		if tm == tmInit && l.sent {
			actions = append(actions, action(kindTMRcvPrepared, rm))
		}
		if l.rm == rmWorking {
			actions = append(actions, action(kindRMPrepare, rm))
		}
		if m.canAbort(l) {
			actions = append(actions, action(kindRMChooseToAbort, rm))
		}
		if tm == tmCommitted {
			actions = append(actions, action(kindRMRcvCommitMsg, rm))
		}
		if tm == tmAborted {
			actions = append(actions, action(kindRMRcvAbortMsg, rm))
		}
	}
	return actions
}

// NextState applies a; every guard is rechecked so that a stale action is
// reported as not enabled.
func (m *Model) NextState(s State, a Action) (State, bool) {
	tm := s.tm()
	rm := a.rm()
	l := s.local(rm)
	switch a.kind() {
	case kindTMCommit:
		if tm != tmInit || !m.allReceived(s) {
			return s, false
		}
		return s.withTM(tmCommitted), true
	case kindTMAbort:
		if tm != tmInit || m.NoTimeout {
			return s, false
		}
		return s.withTM(tmAborted), true
	case kindTMRcvPrepared:
		ok := tm == tmInit && l.sent
		l.received = true
		return s.withLocalIf(ok, rm, l), ok
	case kindRMPrepare:
		ok := l.rm == rmWorking
		l.rm, l.sent = rmPrepared, true
		return s.withLocalIf(ok, rm, l), ok
	case kindRMChooseToAbort:
		ok := m.canAbort(l)
		l.rm = rmAborted
		return s.withLocalIf(ok, rm, l), ok
	case kindRMRcvCommitMsg:
		l.rm = rmCommitted
		return s.withLocalIf(tm == tmCommitted, rm, l), tm == tmCommitted
	case kindRMRcvAbortMsg:
		l.rm = rmAborted
		return s.withLocalIf(tm == tmAborted, rm, l), tm == tmAborted
	}
	assert.That(false, "twophase: unknown action %d", a)
	return s, false
}

func (m *Model) canAbort(l local) bool {
	return l.rm == rmWorking || m.Bug && l.rm == rmPrepared
}

// withLocalIf encodes l only for an enabled action, whose result is reachable.
func (s State) withLocalIf(ok bool, rm int, l local) State {
	if !ok {
		return s
	}
	return s.withLocal(rm, l)
}

// Properties are TPTypeOK and TCConsistent, plus two reachability checks that
// keep the model honest: some run commits and some run aborts; and
// Termination, a liveness property (explore.Options.Liveness): every RM
// ends committed or every RM ends aborted, under weak fairness of every
// action (see FairKey).
func (m *Model) Properties() []explore.Property[State] {
	return []explore.Property[State]{
		explore.Always("TPTypeOK", m.typeOK),
		explore.Always("TCConsistent", m.consistent),
		explore.Sometimes("SomeCommitted", func(s State) bool { return m.any(s, rmCommitted) }),
		explore.Sometimes("SomeAborted", func(s State) bool { return m.any(s, rmAborted) }),
		explore.Eventually("Termination", func(s State) bool { return m.all(s, rmCommitted) || m.all(s, rmAborted) }),
	}
}

// FairKey implements explore.Fairness: every action instance (TMAbort, the
// TM's timeout, included) is weakly fair, as WF_vars of each action in a
// TLA+ fairness condition; an action's identity is the action itself.
func (m *Model) FairKey(a Action) (uint64, bool) { return uint64(a), true }

// Hidden implements explore.Fairness: the model has no bounds.
func (m *Model) Hidden(State) bool { return false }

func (m *Model) all(s State, rmState uint8) bool {
	for rm := range m.RMs {
		if s.local(rm).rm != rmState {
			return false
		}
	}
	return true
}

// typeOK holds when every field decodes to a value of its TLA+ type and the
// unused high bits are clear.
func (m *Model) typeOK(s State) bool {
	if s.tm() > tmAborted || uint64(s)>>(2+3*m.RMs) != 0 {
		return false
	}
	for rm := range m.RMs {
		if s.code(rm) >= uint64(codeInvalid) {
			return false
		}
	}
	return true
}

// consistent is TCConsistent: no RM committed while another aborted.
func (m *Model) consistent(s State) bool {
	return !(m.any(s, rmCommitted) && m.any(s, rmAborted))
}

func (m *Model) any(s State, rmState uint8) bool {
	for rm := range m.RMs {
		if s.local(rm).rm == rmState {
			return true
		}
	}
	return false
}

// Fingerprint is the splitmix64 finaliser, a bijection: distinct states never
// share a fingerprint.
func (m *Model) Fingerprint(s State) uint64 { return splitmix64(uint64(s)) }

// splitmix64 is the splitmix64 finaliser.
func splitmix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// AppendKey is the packed state itself.
func (m *Model) AppendKey(dst []byte, s State) []byte {
	return binary.LittleEndian.AppendUint64(dst, uint64(s))
}

// Canonical sorts the local codes (RMs are interchangeable), a counting sort
// over the 7 codes.
func (m *Model) Canonical(s State) State {
	var counts [8]uint8
	for rm := range m.RMs {
		counts[s.code(rm)]++
	}
	out := s.tm()
	shift := 2
	for code := range uint64(len(counts)) {
		for range counts[code] {
			out |= code << shift
			shift += 3
		}
	}
	return State(out)
}

func (m *Model) DescribeAction(a Action) string {
	if a.kind() <= kindTMAbort {
		return kindNames[a.kind()]
	}
	return fmt.Sprintf("%s(rm%d)", kindNames[a.kind()], a.rm()+1)
}

// DescribeState renders the TLA+ variables.
func (m *Model) DescribeState(s State) string {
	var rmStates, prepared, msgs []string
	for rm := range m.RMs {
		l := s.local(rm)
		rmStates = append(rmStates, fmt.Sprintf("rm%d=%s", rm+1, rmStateNames[l.rm]))
		if l.received {
			prepared = append(prepared, fmt.Sprintf("rm%d", rm+1))
		}
		if l.sent {
			msgs = append(msgs, fmt.Sprintf("Prepared(rm%d)", rm+1))
		}
	}
	switch s.tm() {
	case tmCommitted:
		msgs = append(msgs, "Commit")
	case tmAborted:
		msgs = append(msgs, "Abort")
	}
	return fmt.Sprintf("rmState=[%s] tmState=%s tmPrepared={%s} msgs={%s}",
		strings.Join(rmStates, " "), tmStateNames[s.tm()], strings.Join(prepared, ","), strings.Join(msgs, ","))
}

func init() {
	explore.Register(explore.Builtin{
		Name:      "twophase",
		Doc:       "Gray & Lamport's two-phase commit as a TLA+ model (TwoPhase.tla), not the twopc protocol's agents (-explore -protocol twopc); size = resource managers (default 3, max 16); -bug no-tm-timeout breaks Termination (-eventually), any other -bug TCConsistent",
		Symmetric: true,
		Check: func(ctx context.Context, p explore.Params, o explore.Options) (explore.Result, error) {
			rms := p.Size
			if rms == 0 {
				rms = RMsDefault
			}
			if rms < 1 || rms > RMsMax {
				return explore.Result{}, fmt.Errorf("twophase: %d resource managers, want 1..%d", rms, RMsMax)
			}
			m := New(rms)
			m.NoTimeout = p.BugName == BugNoTimeout
			m.Bug = p.Bug && !m.NoTimeout
			return explore.Check[State, Action](ctx, m, o)
		},
	})
}
