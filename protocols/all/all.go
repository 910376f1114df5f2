// Package all imports every built-in protocol so that it registers itself.
package all

import (
	_ "github.com/orrery-sim/orrery/protocols/abd"   // ABD atomic register on quorum calls
	_ "github.com/orrery-sim/orrery/protocols/chat"  // Chatroom broadcast
	_ "github.com/orrery-sim/orrery/protocols/ovid"  // clusters from a config file (Ovid KV demo, routed chat)
	_ "github.com/orrery-sim/orrery/protocols/paxos" // Multi-Paxos with flexible quorums and a KV store
	_ "github.com/orrery-sim/orrery/protocols/raft"  // Raft with a linearizable KV store
	_ "github.com/orrery-sim/orrery/protocols/twopc" // two-phase commit with recovery and cooperative termination
)
