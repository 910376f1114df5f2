package simtest

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/orrery-sim/orrery/harness"
)

// selfCheck runs one seeded case of cfg twice and reports, naming the first
// line where they part, if the two trace files differ: a protocol that is not
// deterministic (a map ranged over unsorted, the wall clock, a goroutine, a
// library's own randomness) makes every failure unreproducible, so Check and
// Find refuse to search it at all. The case runs under the swarm nemesis, so
// recovery paths run too.
func selfCheck(cfg harness.Config) error {
	cfg.Seed, cfg.Faults, cfg.Scheduler = selfCheckSeed, "swarm", ""
	var traces [2]bytes.Buffer
	for i := range traces {
		if _, err := harness.Run(cfg, harness.RunOptions{Trace: &traces[i]}); err != nil {
			return err
		}
	}
	if line, a, b, same := firstDifference(traces[0].Bytes(), traces[1].Bytes()); !same {
		return fmt.Errorf("simtest: %s is not deterministic: two runs of seed %d differ first at trace line %d:\n  first run:  %s\n  second run: %s",
			cfg.Protocol, cfg.Seed, line, a, b)
	}
	return nil
}

// selfCheckSeed is the seed of the determinism self-check.
const selfCheckSeed = 1

// firstDifference compares two trace files line by line.
func firstDifference(x, y []byte) (line int, a, b string, same bool) {
	if bytes.Equal(x, y) {
		return 0, "", "", true
	}
	sx, sy := bufio.NewScanner(bytes.NewReader(x)), bufio.NewScanner(bytes.NewReader(y))
	sx.Buffer(nil, 1<<24)
	sy.Buffer(nil, 1<<24)
	for line = 1; ; line++ {
		okx, oky := sx.Scan(), sy.Scan()
		if !okx || !oky || !bytes.Equal(sx.Bytes(), sy.Bytes()) {
			return line, shorten(sx.Text(), okx), shorten(sy.Text(), oky), false
		}
	}
}

func shorten(s string, ok bool) string {
	const shownBytesMax = 300
	switch {
	case !ok:
		return "(the trace ended)"
	case len(s) > shownBytesMax:
		return s[:shownBytesMax] + "..."
	}
	return s
}
