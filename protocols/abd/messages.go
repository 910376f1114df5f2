package abd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/protocols/quorum"
	"github.com/orrery-sim/orrery/sim"
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

// MsgSeal is the first phase of a reconfiguration, sent to the old
// configuration ("read old"): the replica moves to Next, so that it stops
// serving calls of its old configuration, and answers with its state.
type MsgSeal struct{ Next quorum.Configuration }

// Describe implements sim.Describer.
func (m MsgSeal) Describe() string { return "MsgSeal{" + describeConfig(m.Next) + "}" }

// MsgTransfer is the second phase, sent to the new configuration ("write
// new"): the replica adopts State if it is newer and serves Next from then on.
type MsgTransfer struct {
	Next  quorum.Configuration
	State State
}

// Describe implements sim.Describer.
func (m MsgTransfer) Describe() string {
	return "MsgTransfer{" + describeConfig(m.Next) + " " + m.State.Describe() + "}"
}

// Reconfiguration is a change of the configuration as the admin receives it
// from the nemesis (a request in the history, answered with the configuration
// it led to).
type Reconfiguration struct {
	Change faults.Change
}

// Describe implements sim.Describer.
func (r Reconfiguration) Describe() string {
	c := r.Change
	switch c.Op {
	case faults.ChangeAdd:
		return "reconfigure add " + nodeName(c.Add)
	case faults.ChangeRemove:
		return "reconfigure remove " + nodeName(c.Remove)
	}
	return "reconfigure " + c.Op.String() + " " + nodeName(c.Remove) + " " + nodeName(c.Add)
}

// describeConfig renders a configuration with the servers' names: e2{n1 n2 n4}.
func describeConfig(c quorum.Configuration) string {
	names := make([]string, len(c.Nodes))
	for i, id := range c.Nodes {
		names[i] = nodeName(id)
	}
	return fmt.Sprintf("e%d{%s}", c.Epoch, strings.Join(names, " "))
}

// nodeName is a server's name: servers are n1, n2, ... with ids from 0.
func nodeName(id sim.NodeID) string { return "n" + strconv.Itoa(int(id)+1) }

// Configured is what the admin answers a reconfiguration with.
type Configured struct{ Config quorum.Configuration }

// Describe implements sim.Describer.
func (c Configured) Describe() string { return describeConfig(c.Config) }
