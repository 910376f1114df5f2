// Package primarybackup is a tutorial: a protocol that Orrery's authors did not
// write, tested from `go test` with package simtest using only Orrery's public
// API. It is primary-backup replication of a small key-value store: a fixed
// primary orders writes, replicates them to every backup, and acknowledges a
// write only when every backup has applied it, so that clients may read from
// any replica. One planted bug (Options.Bug "early-ack") acknowledges a write
// as soon as it is sent to the backups; a read from a backup can then miss an
// acknowledged write. README.md walks through the code and the test that finds
// the bug.
//
// Agents: the primary n1, backups n2..nN, clients c1..cK. Each client runs the
// workload script in Params["workload"] (see ParseWorkload), one operation at a
// time. The world checks after every event that no read misses a write
// acknowledged before it started, and after the faults heal that every backup
// catches up with the primary.
package primarybackup
