package main

import (
	"fmt"
	"strings"
)

// promela returns TwoPhase.tla for rms resource managers in Promela. SPIN stores
// the global variables plus each process's program counter and locals; the
// single process has no locals and, after every d_step, is back at the head of
// its do-loop, so its program counter is the same in every state and SPIN's
// stored states are exactly the TLA+ states. Each alternative is one TLA+ action
// instance, atomic and with no intermediate state, so SPIN's transitions are
// TLC's. The messages Commit and Abort are kept as variables, as in the spec.
func promela(rms int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "/* TwoPhase.tla (Gray & Lamport) for %d resource managers. */\n", rms)
	fmt.Fprintf(&b, "#define N %d\n", rms)
	b.WriteString(`byte rmState[N];    /* 0 working, 1 prepared, 2 committed, 3 aborted */
byte tmState;       /* 0 init, 1 committed, 2 aborted */
bool tmPrepared[N];
bool msgPrepared[N];
bool msgCommit;
bool msgAbort;

active proctype TwoPhase() {
  do
`)
	var all []string
	for rm := range rms {
		all = append(all, fmt.Sprintf("tmPrepared[%d]", rm))
	}
	fmt.Fprintf(&b, "  :: d_step { tmState == 0 && %s -> tmState = 1; msgCommit = 1 }  /* TMCommit */\n", strings.Join(all, " && "))
	b.WriteString("  :: d_step { tmState == 0 -> tmState = 2; msgAbort = 1 }  /* TMAbort */\n")
	for rm := range rms {
		fmt.Fprintf(&b, "  :: d_step { tmState == 0 && msgPrepared[%[1]d] -> tmPrepared[%[1]d] = 1 }  /* TMRcvPrepared(rm%[2]d) */\n", rm, rm+1)
		fmt.Fprintf(&b, "  :: d_step { rmState[%[1]d] == 0 -> rmState[%[1]d] = 1; msgPrepared[%[1]d] = 1 }  /* RMPrepare(rm%[2]d) */\n", rm, rm+1)
		fmt.Fprintf(&b, "  :: d_step { rmState[%[1]d] == 0 -> rmState[%[1]d] = 3 }  /* RMChooseToAbort(rm%[2]d) */\n", rm, rm+1)
		fmt.Fprintf(&b, "  :: d_step { msgCommit -> rmState[%[1]d] = 2 }  /* RMRcvCommitMsg(rm%[2]d) */\n", rm, rm+1)
		fmt.Fprintf(&b, "  :: d_step { msgAbort -> rmState[%[1]d] = 3 }  /* RMRcvAbortMsg(rm%[2]d) */\n", rm, rm+1)
	}
	b.WriteString("  od\n}\n")
	return b.String()
}
