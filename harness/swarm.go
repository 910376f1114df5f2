package harness

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/orrery-sim/orrery/protocols"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// A SwarmCluster run draws the cluster too: some bugs show at 3 servers and
// not at 5, some only with one client, some only when a server never comes
// back and the others must carry on. The draw is a function of the seed alone,
// made before the world exists, from a stream of its own (so every choice
// of the run keeps its value), and the drawn values are written into the
// config, so the trace header, the reproduce line and -replay carry them.

// swarmNodesMin is the smallest cluster a swarm run draws, unless the
// protocol's default is smaller.
const swarmNodesMin = 3

// swarmSeedSalt separates the cluster draw from the run's own streams.
const swarmSeedSalt = 0x5bd1e9955bd1e995

// drawCluster fills in, for a SwarmCluster run, the nodes and clients the config
// leaves open (0): nodes in [max(MinNodes, 3), Nodes] (unless a parameter
// given pins them) and clients in [1, Clients] of the protocol's declared
// defaults. A protocol that declares
// no node range (MaxNodes 0) or ignores the size (SizeIgnored) keeps its defaults. Drawn records what was drawn.
func drawCluster(cfg Config, p *protocols.Protocol) Config {
	if !cfg.SwarmCluster || p.MaxNodes == 0 || p.SizeIgnored {
		return cfg
	}
	ch := scheduler.NewSeeded(cfg.Seed ^ swarmSeedSalt)
	if lo := max(p.MinNodes, swarmNodesMin); cfg.Nodes == 0 && lo < p.Nodes && !pinsNodes(cfg, p) {
		cfg.Nodes = lo + int(ch.Choose(scheduler.Swarm, uint64(p.Nodes-lo+1)))
		cfg.Drawn = appendDrawn(cfg.Drawn, "nodes", lo, p.Nodes)
	}
	if cfg.Clients == 0 && p.Clients > 1 {
		cfg.Clients = 1 + int(ch.Choose(scheduler.Swarm, uint64(p.Clients)))
		cfg.Drawn = appendDrawn(cfg.Drawn, "clients", 1, p.Clients)
	}
	return cfg
}

// pinsNodes reports whether cfg gives a parameter that only makes sense at the
// protocol's default cluster size (protocols.Param.PinsNodes).
func pinsNodes(cfg Config, p *protocols.Protocol) bool {
	for _, d := range p.Params {
		if _, given := cfg.Params[d.Name]; given && d.PinsNodes {
			return true
		}
	}
	return false
}

func appendDrawn(drawn, what string, lo, hi int) string {
	if drawn != "" {
		drawn += ", "
	}
	return drawn + what + " " + strconv.Itoa(lo) + ".." + strconv.Itoa(hi)
}

// downForGood returns the servers that stay down for good: those cfg lists,
// or for a SwarmCluster run whose protocol allows some and that does not
// reconfigure, a drawn number (0..DownForGoodMax) of drawn servers, which it
// records in cfg.
func downForGood(cfg *Config, inst *protocols.Instance) ([]sim.NodeID, error) {
	if cfg.DownForGood == nil && cfg.SwarmCluster && inst.DownForGoodMax > 0 && !reconfigures(inst) {
		ch := scheduler.NewSeeded(cfg.Seed ^ swarmSeedSalt ^ downSalt)
		most := min(inst.DownForGoodMax, len(inst.Servers))
		k := int(ch.Choose(scheduler.Swarm, uint64(most+1)))
		order := make([]int, len(inst.Servers))
		for i := range order {
			order[i] = i
		}
		for i := 0; i < k; i++ {
			j := i + int(ch.Choose(scheduler.Swarm, uint64(len(order)-i)))
			order[i], order[j] = order[j], order[i]
		}
		cfg.DownForGood = slices.Clone(order[:k])
		slices.Sort(cfg.DownForGood)
		cfg.Drawn = appendDrawn(cfg.Drawn, "down for good", 0, most)
	}
	// A shrunk cluster keeps the servers it still has, up to what the
	// protocol allows at its size.
	var down []sim.NodeID
	kept := []int{} // none kept is still a draw made: a copy of the config does not draw again
	for _, k := range cfg.DownForGood {
		if k < 0 || slices.Contains(kept, k) {
			return nil, fmt.Errorf("down-for-good server index %d: want distinct indexes from 0", k)
		}
		if k < len(inst.Servers) && len(down) < inst.DownForGoodMax {
			down, kept = append(down, inst.Servers[k]), append(kept, k)
		}
	}
	if cfg.DownForGood != nil {
		cfg.DownForGood = kept
	}
	return down, nil
}

// reconfigures reports whether the nemesis may change the membership of inst.
// DownForGoodMax counts the first configuration's tolerance; a changed one may
// be smaller (raft seed 119 of -param spares=2: a configuration whose one
// voter is down for good) or hold the state at a bare majority of its members
// (abd: a member that missed the state transfer never catches up), so a
// swarm run that reconfigures keeps every server for the liveness phase.
func reconfigures(inst *protocols.Instance) bool {
	return inst.Reconfigure != nil && len(inst.Spares) > 0
}

// downSalt separates the down-for-good draw from the cluster draw, so that
// giving -nodes and -clients explicitly (as a reproduce line does) leaves it
// as it was.
const downSalt = 0x2545f4914f6cdd1d

// DecodeConfig reads the config a trace header recorded. A resolved swarm
// run records either swarm_cluster or fixed_cluster; a header with neither was
// written before swarm faults drew the cluster by default, so its run kept the
// cluster as given, and so does its replay.
func DecodeConfig(raw []byte) (Config, error) {
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, err
	}
	c.FixedCluster = c.FixedCluster || !c.SwarmCluster
	return c, nil
}

// ResolveShared is Resolve for a config that many seeds share (a sweep, a
// hunt): it fills in defaults and validates, but leaves what a swarm run draws
// per seed (nodes, clients, servers down for good) as given, so that each
// seed draws its own and the shared config describes all of them.
func (c Config) ResolveShared() (Config, *protocols.Protocol, error) {
	r, p, err := c.Resolve()
	if err != nil || !r.SwarmCluster {
		return r, p, err
	}
	r.Nodes, r.Clients, r.DownForGood, r.Drawn = c.Nodes, c.Clients, c.DownForGood, ""
	return r, p, nil
}
