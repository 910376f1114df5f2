package ovid

import "github.com/orrery-sim/orrery/protocols"

// Planted bugs of the cluster's agent types.
const (
	// BugAckBeforeSync: a kv-server answers an update before its log entry is
	// durable (the write stays in the page cache until some later handler
	// syncs), so a crash in between takes back a write the client saw
	// acknowledged.
	BugAckBeforeSync = "ack-before-sync"
)

var bugs = []protocols.Bug{
	{Name: BugAckBeforeSync, Summary: "a kv-server acknowledges an update before its log entry is durable, so a crash loses an acknowledged write (the missing-fsync class of Pillai et al., OSDI 2014)"},
}
