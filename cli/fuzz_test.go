package cli

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

// FuzzArgs runs simrun's flag parsing and validation on any argv (NUL
// separates arguments): it must not panic, an invalid command line must be
// exit 2 with one line on stderr, and a valid one must name a mode whose
// run configuration resolves or is refused as bad usage, before anything runs.
func FuzzArgs(f *testing.F) {
	for _, args := range [][]string{
		{"-protocol", "raft", "-clients", "2000"}, {"-explore"}, {"-explore", "-model", "paxos", "-rms", "3"},
		{"-seeds", "1-10", "-replay", "x.jsonl"}, {"-time", "500"}, {"-time", "1m30s", "-delay", "1ms..2ms"},
		{"-param", "q1=2", "-protocol", "paxos"}, {"-param", "prevote=true"}, {"-faults", "at 1s crash n1 # x; at 2s heal"},
		{"-history", "h.edn", "-max-memory", "1GiB"}, {"-shard", "0/2"}, {"-list"}, {"-h"}, {"-nodes", "-1"},
		{"-rms", "3", "-explore", "-protocol", "raft"}, {"-config", "c.json", "-protocol", "raft"},
	} {
		f.Add(strings.Join(args, "\x00"))
	}
	f.Fuzz(func(t *testing.T, argv string) {
		args := strings.Split(argv, "\x00")
		defer func() { configFile = "" }() // -config records the file for reproduce lines
		o, err := parseFlags(args, io.Discard)
		switch {
		case errors.Is(err, flag.ErrHelp):
			return
		case err != nil:
			if _, ok := err.(usageError); !ok {
				t.Fatalf("%q: error of type %T: %v", args, err, err)
			}
			code, stdout, stderr := simrun(t, args...)
			if code != exitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line on stderr", args, code, stdout, stderr)
			}
			return
		}
		if !flagModesOf(o.mode) {
			t.Fatalf("%q: mode %d out of range", args, o.mode)
		}
		if seededModes.has(o.mode) {
			o.cfg.Resolve() // must not panic; an error is reported as bad usage
		}
	})
}

func flagModesOf(m mode) bool { return m < modeCount }
