// Package chat is the Chatroom service: servers broadcast client-submitted messages
// to every server, send heartbeat pings on a timer, keep an alive set from heartbeat
// timeouts, and keep the ordered log of delivered messages.
//
// Each message gets an origin (the server the client submitted to) and an origin
// sequence number; servers deliver every origin's messages in order and exactly once,
// holding back early arrivals. Heartbeats carry how far the sender has delivered from
// each origin, and a server that sees a peer behind sends it what it misses, so
// messages lost to partitions, drops or crashes are repaired once the network heals.
// A server syncs its own messages before acknowledging them; messages it learns from
// others are synced lazily, on the heartbeat timer, and recovered from peers if a
// crash loses them.
package chat
