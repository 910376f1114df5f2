// Package faults is the fault vocabulary of Orrery, fault plans, and the nemesis
// that draws plans from a seed.
//
// A Fault is one value of a closed vocabulary; String renders it in the plan
// syntax and Parse reads it back to the same value. A plan is a list of entries
// "at TIME FAULT", separated by ';' or newlines, '#' starting a comment:
//
//	at 2s crash n1; at 3s restart n1
//	at 4s partition n1 n2 | n3    # groups; a name in two groups bridges them
//	at 6s heal
//
// The faults, by kind (NODE is an agent or a box; crashing an agent crashes its
// box; DURATION has a unit: 500ms, 1.5s, 2m, 250us; RATE is 5%, 0.25% or 500ppm):
//
//	crash NODE [lose|keep|torn]        unsynced writes lost (default), kept, or a prefix kept
//	restart NODE                       agents start again from what was synced
//	pause NODE [for DURATION]          events queue until resume (or for the duration)
//	resume NODE
//	isolate NODE                       cut NODE off from the other servers, both ways
//	split [GROUPS]                     majority | minority of the servers (drawn if no groups)
//	halves [GROUPS]                    two halves of the servers (drawn if no groups)
//	bridge NODE | bridge GROUPS        two sides, NODE in both (sides drawn if only NODE)
//	partition GROUPS                   GROUPS is NAMES | NAMES [| NAMES ...]
//	cut NODE -> NODE                   one direction of a link (<-> for both)
//	mend                               remove every cut (partitions included)
//	heal                               the whole network: cuts, clogs, spikes, loss, jitter
//	drop RATE                          messages lost
//	dup RATE                           messages delivered twice
//	jitter DURATION                    delay range widened by DURATION (reordering)
//	clog NODE -> NODE for DURATION     messages held, then released together
//	spike NODE -> NODE DURATION [for DURATION]   extra delay on a link
//	skew NODE [±OFFSET] [drift ±Nppm]  step the clock; make it run fast or slow
//	reconfigure add NODE               change the configuration: NODE joins,
//	reconfigure remove NODE            NODE leaves, or the first leaves and
//	reconfigure replace NODE NODE      the second takes its place
//
// Partitions cut links between agents that share no group; agents named in no
// group (clients, unless named) keep all their links, and cuts add up until mend
// or heal. Names are resolved against the world when a plan is installed, so an
// unknown name is an error before the run starts. Errors give line and column:
// "plan:3:12: expected a duration after \"at\", found end of line".
//
// Faults act on a sim.World only through its fault setters (Crash, Restart,
// Pause, Cut, Clog, Spike, SetLoss, SetNetwork, SetClock), scheduled as actions.
// Crash, restart, pause and resume trace and count themselves; every other
// applied fault is traced and counted with World.RecordFault under its kind, so
// Counters shows which faults really happened.
//
// The nemesis (Install with "default" or "swarm") draws a whole plan before the
// run, every value through World.Choose(scheduler.Fault, n), so runs replay and
// shrink. It works in lanes (crash, pause, partition, drop, dup, jitter, clog,
// spike, skew), each a series of episodes that start a fault and undo it; in
// swarm mode the seed first draws which lanes are on and how hard they push. A
// budget keeps at most Options.Tolerates server boxes crashed or paused at once,
// and clients are never faulted. A drawn plan names every node, so its text
// replays it exactly. When the safety phase ends, the liveness hook heals
// everything (Injector.HealAll) and no further scheduled fault applies.
//
// Reconfiguration is a fault a protocol opts into with a hook (Options.Reconfigure,
// a Reconfigurer): the injector hands it the Change and the protocol carries it
// out with its own messages. Only then do plans accept reconfigure and does the
// nemesis draw a reconfigure lane, last, so that protocols without a hook draw
// the plans they always drew. Its changes are drawn in sequence against the
// configuration the earlier ones lead to: spares (Options.Spares) and removed
// servers join, members leave, and at least 2*Tolerates+1 members remain. A
// configuration change is not undone when the liveness phase heals.
package faults
