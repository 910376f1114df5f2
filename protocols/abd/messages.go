package abd

import (
	"fmt"
	"strconv"
)

// Tag orders writes: by counter, then by writer, so that two writers never pick
// the same tag.
type Tag struct {
	Counter uint64
	Writer  int32 // the writing client's node id
}

// Less orders tags.
func (t Tag) Less(u Tag) bool {
	return t.Counter < u.Counter || (t.Counter == u.Counter && t.Writer < u.Writer)
}

func (t Tag) String() string {
	return strconv.FormatUint(t.Counter, 10) + "." + strconv.Itoa(int(t.Writer))
}

// State is a replica's tagged value, and every reply a replica sends: the query
// phase reads it, the store phase acknowledges with it.
type State struct {
	Tag   Tag
	Value string
}

// Describe implements sim.Describer.
func (s State) Describe() string {
	if s.Tag == (Tag{}) {
		return "State{unset}"
	}
	return fmt.Sprintf("State{%v %q}", s.Tag, s.Value)
}

// MsgQuery asks a replica for its state.
type MsgQuery struct{}

// Describe implements sim.Describer.
func (MsgQuery) Describe() string { return "MsgQuery{}" }

// MsgStore asks a replica to adopt a tagged value if it is newer than its own.
type MsgStore struct{ State State }

// Describe implements sim.Describer.
func (m MsgStore) Describe() string {
	return fmt.Sprintf("MsgStore{%v %q}", m.State.Tag, m.State.Value)
}

// Op is a client operation as recorded in the history.
type Op struct {
	Write bool
	Value string // written value (writes only)
}

// Describe implements sim.Describer.
func (o Op) Describe() string {
	if o.Write {
		return fmt.Sprintf("write %q", o.Value)
	}
	return "read"
}

// Result is what a read returned (a write returns the zero Result).
type Result struct {
	Value  string
	Exists bool // false: the register was never written
}

// Describe implements sim.Describer.
func (r Result) Describe() string {
	if !r.Exists {
		return "nil"
	}
	return strconv.Quote(r.Value)
}
