// Package simtest tests agents from `go test` with pgregory.net/rapid: a
// property test draws a fault plan, protocol parameters (a workload) and a
// schedule as structured values, runs the world and checks its properties; a
// failure shrinks to a minimal fault plan and schedule, and the test prints the
// command that replays its trace.
//
// The system under test is a protocols.Protocol value. It need not be
// registered: Check runs it directly, so a user's own agents are tested the
// same way as the built-in protocols.
//
//	func TestMyProtocol(t *testing.T) {
//		simtest.Check(t, simtest.Spec{Protocol: &protocols.Protocol{
//			Name: "mine", Nodes: 3, MinNodes: 1, Clients: 1,
//			Safety: 5 * sim.Second, Liveness: 5 * sim.Second, Setup: setup,
//		}})
//	}
//
// What a case draws, and how it shrinks:
//   - the fault plan (PlanOf): episodes of a fault and its undoing (a crash
//     and the restart, a partition and the mend) over the servers' names,
//     within Budget (how many episodes, which kinds, how many servers down at
//     once; membership changes for a protocol with spares). As in a swarm
//     sweep, a plan uses a drawn subset of the kinds and about half the
//     budget's episodes. It shrinks to fewer, earlier, shorter, simpler
//     episodes. The plan
//     is written out as plan text in Config.Faults.
//   - Spec.Params: protocol parameters the user draws (a workload script),
//     recorded in Config.Params.
//   - the Schedule (ScheduleOf): a seed for every other choice, a jitter that
//     scales every message delay (shrinking towards a synchronous network), and
//     delays set outright for chosen messages.
//
// The trace of a failure is an ordinary trace file: its header holds the
// config (explicit plan text, parameters, Scheduler "rapid") and its events the
// recorded choices, which scheduler.Replay answers. Replaying needs the
// protocol: for a registered protocol (CheckProtocol) the test prints
// `simrun -replay FILE`; for a protocol only the test binary knows, it prints
// `go test -run 'TestName' -simtest.replay=FILE`, which makes Check replay the
// trace instead of searching (Replay does the same from any test).
//
// rapid keeps failing cases under testdata/rapid/<TestName>/ and runs them
// first on the next run: commit them as regression tests. Find runs the same
// search but expects a failure, for tests that assert that a planted bug is
// found and that its counterexample is small.
//
// Conformance is the suite every protocol runs from one test: golden trace
// hashes (testdata/golden/trace-hashes.txt: a handful of runs, each run twice,
// once on one core, with byte-identical traces), clean seed sweeps, planted
// bugs caught by their checker within a seed budget (the table of first
// failing seeds in BUGS.md), and the property tests of Check and Find. Files
// it pins are rewritten under ORRERY_REWRITE=1; review their diff.
//
// simtest is a driver outside the simulation: it reads files and the wall
// clock (rapid's time budgets), but no verdict depends on them.
package simtest
