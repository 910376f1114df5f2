// Package etcdraft tests etcd's raft library (go.etcd.io/raft/v3 v3.6.0) with
// Orrery: the protocol "etcdraft" runs five servers, each a RawNode driven by
// package adapter and serving a key-value store (client sessions make retried
// operations execute once), and three leader-seeking clients from
// workload/kv, under the swarm nemesis. Its checkers are the Raft safety
// properties (checkers/raftsafety), linearizability of the client history and
// write-after-heal. Its planted bugs run a copy of etcd's raft package with
// one check removed (internal/raftbug). cmd/etcdsim is simrun for it.
package etcdraft
