// Package ovid holds the agent types of cluster files (package cluster) and the
// "ovid" protocol that runs a cluster file: the Ovid demo's key-value server with
// an append-only durable log (it recovers by replaying the log, and may mirror its
// log to backups through a multicast route), its client, a scripted input agent
// (the tty of the original: it replays a script of lines at given virtual times),
// and a routed Chatroom server and client.
//
// A run checks linearizability of the key-value history (per key), that every
// mirror is a prefix of its primary's log, no duplicate and per-origin FIFO
// delivery of chat messages, and, after the nemesis heals, client progress, caught
// up mirrors and chat delivery.
package ovid
