// Command etcdsim is simrun with the etcdraft protocol: every mode of the
// simrun command line (runs, sweeps, replay, shrink, html) for etcd's raft.
package main

import (
	"os"

	"github.com/orrery-sim/orrery/cli"
	"github.com/orrery-sim/orrery/examples/etcdraft"
)

func main() { os.Exit(cli.Main(etcdraft.Protocol)) }
