package cli

import (
	"bytes"
	"encoding/json"
	"os"

	"github.com/orrery-sim/orrery/protocols/ovid"
	"github.com/orrery-sim/orrery/protocols/ovid/cluster"
)

// configFile is the -config file of this invocation, for reproduce lines.
var configFile string

// loadConfig makes a -config run a run of the ovid protocol with the file's text
// (compacted) as its cluster parameter, so that the trace header holds the whole
// cluster and -replay needs nothing else. The file fixes the agents, so -nodes
// and -clients may only repeat what it says. An invalid file is bad input (exit
// 2), reported with the JSON path of the offending field.
func loadConfig(o *options, path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return usagef("-config: %v", err)
	}
	c, err := cluster.Parse(raw)
	if err != nil {
		return usagef("%s: %v", path, err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return usagef("%s: %v", path, err) // unreachable: Parse accepted it
	}
	servers := 0
	for _, a := range c.Agents {
		if a.Type.Server {
			servers++
		}
	}
	clients := len(c.Agents) - servers
	if (o.cfg.Nodes != 0 && o.cfg.Nodes != servers) || (o.cfg.Clients != 0 && o.cfg.Clients != clients) {
		return usagef("-config %s fixes %d servers and %d other agents; drop -nodes and -clients", path, servers, clients)
	}
	o.cfg.Protocol, o.cfg.Nodes, o.cfg.Clients = "ovid", servers, clients
	o.cfg.Params = map[string]string{ovid.ParamCluster: compact.String()}
	configFile = path
	return nil
}

// protocolArgs renders how a reproduce line names what ran: the -config file
// when this invocation read one, else the protocol.
func protocolArgs(protocol string, params map[string]string) []string {
	if configFile != "" && params[ovid.ParamCluster] != "" {
		return []string{"-config", configFile}
	}
	return []string{"-protocol", protocol}
}
