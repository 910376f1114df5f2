// Package adapter runs etcd's raft (go.etcd.io/raft/v3) inside an Orrery
// simulation, unchanged: a Node is an Orrery agent that owns a raft.RawNode.
//
// A Node's handlers feed the RawNode (Tick on a timer every Config.Tick, Step
// on a raft message, and the App's proposals from client requests), then drain
// each Ready in the order etcd documents for synchronous storage: save the
// snapshot, entries and hard state; sync; send the messages; apply the
// snapshot and the committed entries; Advance. Storage is a write-ahead log in
// the node's simulated durable storage, so a crash keeps what was synced and
// maybe a prefix of the rest, and Start is recovery from it. Messages travel
// as Msg, their protobuf encoding, and show etcd's names (MsgApp, MsgVote, ...)
// in traces, the viewer and the trace hash (sim.TypeNamer). etcd draws its
// election timeouts from crypto/rand with no hook; every call into the RawNode
// runs inside randhook.With(ctx.RandReader(), ...), so those draws are
// scheduler choices: recorded, replayed and shrunk.
//
// View and Checker give checkers/raftsafety a view of each node, so the Raft
// safety properties are checked after every event.
package adapter
