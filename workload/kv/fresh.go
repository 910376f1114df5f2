package kv

import (
	"fmt"
	"strings"

	"github.com/orrery-sim/orrery/sim"
)

// Property names of the history checks that run as the history grows.
const (
	// PropReadFresh: a read reflects every write acknowledged before it
	// began. Judged directly, when the read returns: a read that returns
	// the value of a write A although another write B of that key was
	// invoked after A returned and returned before the read was invoked is
	// stale. Linearizability implies it, but is judged only at the end of
	// the run; this fails at the stale read's return.
	PropReadFresh = "read-fresh"
	// PropExactlyOnce: no appended token shows twice in a value read. Each
	// append carries a token unique to its client and sequence number, so a
	// command applied twice (a retry the session failed to deduplicate, one
	// command decided in two slots) shows in the next read of the key.
	PropExactlyOnce = "exactly-once"
)

// TokenStart opens every token the standard mix appends, so a value splits
// into what a put wrote and the tokens appended after it. Put values never
// hold it.
const TokenStart = "+"

// Access reads one history operation for the history checks: the key it
// touches, whether it wrote (and then the unique value it wrote, "" when
// not unique, say an append), or, for a completed read, the value it
// returned (found false when the key was absent). ok false leaves the
// operation out.
type Access struct {
	Key       string
	Write     bool
	Wrote     string // a put's or successful cas's value: unique per write in the standard mix
	Token     string // an append's token (opening with TokenStart)
	Text      string // the operation, for explanations
	Read      bool
	Value     string
	Found     bool
	HasTokens bool // Value is what a put wrote followed by appended tokens, each opening with TokenStart
	// Values are the values of a read of the whole store (a print: Key
	// "*"), judged
	// for exactly-once only.
	Values []string
}

// AccessOf reads an Op and its Result.
func AccessOf(op *sim.Op) (Access, bool) {
	in, ok := op.Input.(Op)
	if !ok {
		return Access{}, false
	}
	out, isResult := op.Output.(Result)
	if op.Done && !isResult {
		return Access{}, false // refused: no effect
	}
	text := in.Describe()
	switch in.Kind {
	case Get:
		return Access{Key: in.Key, Read: true, Value: out.Value, Found: out.Found, HasTokens: true}, true
	case Put:
		return Access{Key: in.Key, Write: true, Wrote: in.Value, Text: text}, true
	case CAS:
		if op.Done && !out.OK {
			return Access{}, false // a failed cas changed nothing
		}
		return Access{Key: in.Key, Write: true, Wrote: in.Value, Text: text}, true
	case Delete:
		return Access{Key: in.Key, Write: true, Text: text}, true
	case Append:
		return Access{Key: in.Key, Write: true, Token: in.Value, Text: text}, true
	}
	return Access{}, false
}

// write is a completed write of one key.
type write struct {
	call, ret sim.Time
	wrote     string // a put's or cas's unique value
	token     string // an append's token
	text      string // the operation, for explanations
}

// historyChecks judges operations as they complete.
type historyChecks struct {
	access  func(op *sim.Op) (Access, bool)
	seen    int   // ops before this index have been looked at once
	open    []int // indexes of ops seen open
	writes  map[string][]write
	tokens  map[string]map[string]int // key → token → append operations invoked with it
	errs    [2]error                  // read-fresh, exactly-once
	checked uint64                    // w.Events() of the last update
}

// AddHistoryChecks adds read-fresh and exactly-once (always) to w, reading
// operations with access (AccessOf for Op histories).
func AddHistoryChecks(w *sim.World, access func(op *sim.Op) (Access, bool)) {
	h := &historyChecks{access: access, writes: map[string][]write{}, tokens: map[string]map[string]int{}}
	for i, name := range []string{PropReadFresh, PropExactlyOnce} {
		w.AddProperty(sim.Property{Name: name, Kind: sim.Always, Check: func(w *sim.World) error {
			h.update(w)
			return h.errs[i]
		}})
	}
}

func (h *historyChecks) update(w *sim.World) {
	if w.Events() == h.checked {
		return
	}
	h.checked = w.Events()
	ops := w.History().Ops
	for i := h.seen; i < len(ops); i++ {
		h.countToken(&ops[i])
	}
	open := h.open[:0]
	for _, i := range h.open {
		if ops[i].Done {
			h.complete(w, &ops[i])
		} else {
			open = append(open, i)
		}
	}
	for ; h.seen < len(ops); h.seen++ {
		if ops[h.seen].Done {
			h.complete(w, &ops[h.seen])
		} else {
			open = append(open, h.seen)
		}
	}
	h.open = open
}

// countToken counts an append operation's token when the operation is
// invoked. Only a token exactly one operation appended is judged: values
// from elsewhere (a script appending the same text twice) say nothing.
func (h *historyChecks) countToken(op *sim.Op) {
	a, ok := h.access(op)
	if !ok || a.Token == "" {
		return
	}
	if h.tokens[a.Key] == nil {
		h.tokens[a.Key] = map[string]int{}
	}
	h.tokens[a.Key][a.Token]++
}

// appendedOnce reports whether exactly one operation appended token, to key
// or, for key "*" (a whole-store read), to any key.
func (h *historyChecks) appendedOnce(key, token string) bool {
	if key != "*" {
		return h.unique(key, token)
	}
	n := 0
	for _, byToken := range h.tokens { // lint:ordered a sum
		n += byToken[token]
	}
	return n == 1
}

// unique reports whether exactly one operation appended token to key.
func (h *historyChecks) unique(key, token string) bool { return h.tokens[key][token] == 1 }

// complete judges one operation that just completed (ops complete in
// virtual-time order, so every write that returned before a read began is
// recorded when the read returns).
func (h *historyChecks) complete(w *sim.World, op *sim.Op) {
	a, ok := h.access(op)
	if !ok {
		return
	}
	if a.Write {
		h.writes[a.Key] = append(h.writes[a.Key], write{call: op.Call, ret: op.Return, wrote: a.Wrote, token: a.Token,
			text: w.Name(op.Client) + " " + a.Text})
		return
	}
	if a.Read && h.errs[1] == nil {
		for _, v := range a.Values {
			if h.errs[1] = h.onceEach(w, op, Access{Key: "*", Value: v}); h.errs[1] != nil {
				break
			}
		}
	}
	if !a.Read || !a.Found {
		return
	}
	if h.errs[0] == nil {
		h.errs[0] = h.fresh(w, op, a)
	}
	if h.errs[1] == nil && a.HasTokens {
		h.errs[1] = h.onceEach(w, op, a)
	}
}

// fresh judges a read against the completed writes of its key. The writes
// its value reflects are the put or cas that wrote its base (the part
// before the first token) and the appends of its tokens. If one of them, X,
// returned before another write B of the key began, and B returned before
// the read began, then B took effect after X and before the read, so the
// value must reflect B too: B's token for an append, and for any other write
// the value could no longer hold X's part at all.
func (h *historyChecks) fresh(w *sim.World, op *sim.Op, a Access) error {
	ws := h.writes[a.Key]
	base, tokens := a.Value, map[string]bool{}
	if a.HasTokens {
		parts := strings.Split(a.Value, TokenStart)
		base = parts[0]
		for _, t := range parts[1:] {
			if !h.unique(a.Key, TokenStart+t) {
				return nil // a piece no single append explains: no judgement
			}
			tokens[TokenStart+t] = true
		}
	}
	in := make([]bool, len(ws))
	from := -1
	for i, wr := range ws {
		if (base != "" && wr.wrote == base) || (wr.token != "" && tokens[wr.token]) {
			in[i] = true
			if from < 0 || wr.ret < ws[from].ret {
				from = i
			}
		}
	}
	if from < 0 {
		return nil
	}
	x := ws[from]
	for i, b := range ws {
		if !in[i] && b.call > x.ret && b.ret < op.Call {
			return fmt.Errorf("%s read %s=%q at %s (invoked %s), reflecting %s (returned %s) but not %s (ran %s..%s, after it and before the read)",
				w.Name(op.Client), a.Key, a.Value, Seconds(int64(op.Return)), Seconds(int64(op.Call)), x.text, Seconds(int64(x.ret)),
				b.text, Seconds(int64(b.call)), Seconds(int64(b.ret)))
		}
	}
	return nil
}

// onceEach finds a token that shows twice in a value though one operation
// appended it. A print's values (key "*") are judged against every key's
// tokens.
func (h *historyChecks) onceEach(w *sim.World, op *sim.Op, a Access) error {
	tokens := strings.Split(a.Value, TokenStart)[1:] // the first piece is what a put wrote
	seen := make(map[string]bool, len(tokens))
	for _, t := range tokens {
		if seen[t] && h.appendedOnce(a.Key, TokenStart+t) {
			return fmt.Errorf("%s read %s=%q at %s: append %q took effect twice",
				w.Name(op.Client), a.Key, a.Value, Seconds(int64(op.Return)), TokenStart+t)
		}
		seen[t] = true
	}
	return nil
}
