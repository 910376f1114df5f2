// Package all imports every built-in protocol so that it registers itself.
package all

import (
	_ "github.com/orrery-sim/orrery/protocols/chat" // Chatroom broadcast
	_ "github.com/orrery-sim/orrery/protocols/raft" // Raft with a linearizable KV store
)
