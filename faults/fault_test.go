package faults_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/sim"
)

// TestParseGolden pins the text form of every kind: what each input parses to,
// rendered canonically, or the error it gives.
func TestParseGolden(t *testing.T) {
	cases := []struct{ in, want string }{
		{"crash n1", "crash n1"},
		{"crash n1 lose", "crash n1"},
		{"crash n2 torn", "crash n2 torn"},
		{"crash box-a keep", "crash box-a keep"},
		{"restart n1", "restart n1"},
		{"pause n2", "pause n2"},
		{"pause n2 for 2s", "pause n2 for 2s"},
		{"pause n2 for 1.5s", "pause n2 for 1500ms"},
		{"resume n2", "resume n2"},
		{"isolate n2", "isolate n2"},
		{"split", "split"},
		{"split n1 | n2 n3", "split n1 | n2 n3"},
		{"halves n1 n2|n3 n4", "halves n1 n2 | n3 n4"},
		{"bridge n3", "bridge n3"},
		{"bridge n1 n3 | n3 n2", "bridge n1 n3 | n3 n2"},
		{"partition n1 n2 | n3", "partition n1 n2 | n3"},
		{"partition a | b | c", "partition a | b | c"},
		{"cut n1 -> n2", "cut n1 -> n2"},
		{"cut n1->n2", "cut n1 -> n2"},
		{"cut n1 <-> n2", "cut n1 <-> n2"},
		{"mend", "mend"},
		{"heal", "heal"},
		{"drop 5%", "drop 5%"},
		{"drop 0.25%", "drop 0.25%"},
		{"drop 500ppm", "drop 0.05%"},
		{"dup 100%", "dup 100%"},
		{"dup 0%", "dup 0%"},
		{"jitter 50ms", "jitter 50ms"},
		{"jitter 0s", "jitter 0s"},
		{"clog n1 -> n2 for 500ms", "clog n1 -> n2 for 500ms"},
		{"spike n1 -> n2 200ms", "spike n1 -> n2 200ms"},
		{"spike n1 <-> n2 200ms for 1s", "spike n1 <-> n2 200ms for 1s"},
		{"skew n2 +30ms drift 200ppm", "skew n2 +30ms drift +200ppm"},
		{"skew n2 -1s", "skew n2 -1s drift +0ppm"},
		{"skew n2 drift -50ppm", "skew n2 +0s drift -50ppm"},
		{"reconfigure add n4", "reconfigure add n4"},
		{"reconfigure remove n2", "reconfigure remove n2"},
		{"reconfigure  replace n2   n4", "reconfigure replace n2 n4"},
		{"reconfigure", "fault:1:12: expected add, remove or replace after \"reconfigure\", found end of text"},
		{"reconfigure swap n1", "fault:1:13: expected add, remove or replace after \"reconfigure\", found \"swap\""},
		{"reconfigure add", "fault:1:16: expected a node name after \"add\", found end of text"},
		{"reconfigure add n4 n5", "fault:1:20: unexpected \"n5\" after \"reconfigure add n4\""},
		{"reconfigure replace n2", "fault:1:23: expected a node name after \"n2\", found end of text"},
		{"reconfigure replace n2 n2", "fault:1:24: a replacement needs two different servers, got \"n2\" twice"},
		{"", "fault:1:1: expected a fault, found end of text"},
		{"explode n1", "fault:1:1: unknown fault \"explode\" (known: crash, restart, pause, resume, isolate, split, halves, bridge, partition, cut, mend, heal, drop, dup, jitter, clog, spike, skew, reconfigure)"},
		{"crash", "fault:1:6: expected a node name after \"crash\", found end of text"},
		{"crash 1n", "fault:1:7: bad node name \"1n\" (want a letter, then letters, digits, '_', '.', '-')"},
		{"crash n1 melt", "fault:1:10: expected a crash mode (lose, keep, torn), found \"melt\""},
		{"crash n1 torn now", "fault:1:15: unexpected \"now\" after \"crash n1 torn\""},
		{"pause n1 for 0s", "fault:1:14: duration after \"for\" must be positive"},
		{"pause n1 for 5", "fault:1:14: duration \"5\" has no unit (want e.g. 5ms or 5s)"},
		{"pause n1 for 1m30s", "pause n1 for 90s"},
		{"partition n1 n2", "fault:1:1: partition takes groups separated by '|': partition n1 n2 | n3"},
		{"partition n1 |", "fault:1:15: expected a node name after '|'"},
		{"partition | n1", "fault:1:11: unexpected '|' (groups are non-empty, at most 64)"},
		{"split n1 n1 | n2", "fault:1:10: \"n1\" twice in one group, or more than 1024 names"},
		{"bridge n1 n2", "fault:1:1: bridge takes one node, or groups that share it: bridge n1 n2 | n2 n3"},
		{"cut n1 n2", "fault:1:8: expected '->' or '<->' after \"n1\", found \"n2\""},
		{"cut n1 -> n1", "fault:1:11: a link needs two different ends, got \"n1\" twice"},
		{"clog n1 -> n2", "fault:1:14: expected \"for DURATION\" after the clogged link, found end of text"},
		{"drop 101%", "fault:1:6: bad rate \"101%\": rate above 100%"},
		{"drop 0.00001%", "fault:1:6: bad rate \"0.00001%\": want a rate such as 5%, 0.5% or 500ppm"},
		{"jitter 1.0000000001ms", "jitter 1ms"}, // time.ParseDuration drops what is finer than 1ns
		{"skew n1", "fault:1:8: expected a clock step (+30ms) or \"drift 200ppm\" after \"n1\""},
		{"skew n1 drift 2000000ppm", "fault:1:15: bad drift \"2000000ppm\": drift out of range (-499999ppm to +999999ppm)"},
		{"skew n1 drift -500000ppm", "fault:1:15: bad drift \"-500000ppm\": drift out of range (-499999ppm to +999999ppm)"},
		{"crash n1; restart n1", "fault:1:9: unexpected \";\" after \"crash n1\""},
	}
	for _, c := range cases {
		got := ""
		f, err := faults.Parse(c.in)
		if err != nil {
			got = err.Error()
		} else {
			got = f.String()
		}
		if got != c.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestParseValues(t *testing.T) {
	f, err := faults.Parse("spike n1 <-> box2 1.5ms for 2m")
	if err != nil {
		t.Fatal(err)
	}
	want := faults.Fault{Kind: faults.Spike, From: "n1", To: "box2", Both: true, Delay: 1500 * sim.Microsecond, For: 2 * sim.Minute}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	f, _ = faults.Parse("crash n2 torn")
	if f.Mode != sim.TornWrites {
		t.Fatalf("mode %v", f.Mode)
	}
}

func TestParsePlan(t *testing.T) {
	text := "# a plan\nat 2s crash n1; at 3s restart n1\n\nat 1s partition n1 n2 | n3 # comment\nat 6s heal\n"
	plan, err := faults.ParsePlan(text)
	if err != nil {
		t.Fatal(err)
	}
	want := "at 1s partition n1 n2 | n3; at 2s crash n1; at 3s restart n1; at 6s heal"
	if got := plan.String(); got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	if plan[0].Line != 4 || plan[0].Col != 1 || plan[2].Line != 2 || plan[2].Col != 17 {
		t.Fatalf("positions %+v", plan)
	}
	again, err := faults.ParsePlan(plan.String())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plan, again, cmpopts.IgnoreFields(faults.Entry{}, "Line", "Col")); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
}

// TestInlinePlanCommentEndsAtSemicolon: '#' in a one-line plan comments out
// the rest of its entry only, not every later entry.
func TestInlinePlanCommentEndsAtSemicolon(t *testing.T) {
	plan, err := faults.ParsePlan("at 1s crash n1 # the leader; at 2s restart n1; at 3s heal # done")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("at 1s crash n1; at 2s restart n1; at 3s heal", plan.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParsePlanErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"at", `plan:1:3: expected a duration after "at", found end of text`},
		{"at 1s crash n1\nat\n", `plan:2:3: expected a duration after "at", found end of line`},
		{"at 1s crash n1\n\n  at 2s crash n1 n2", `plan:3:18: expected a crash mode (lose, keep, torn), found "n2"`},
		{"crash n1", `plan:1:1: expected "at DURATION FAULT", found "crash"`},
		{"at 1s", `plan:1:6: expected a fault after "1s", found end of text`},
		{"at 1x crash n1", `plan:1:4: bad duration "1x" (want e.g. 500ms, 1.5s or 1m30s)`},
		{"at 2 crash n1", `plan:1:4: duration "2" has no unit (want e.g. 2ms or 2s)`},
		{"at 1s heal at 2s heal", `plan:1:12: unexpected "at" after "heal"`},
		{"at 1s drop 5%;; ;at 2s dup 1%", ``},
	}
	for _, c := range cases {
		_, err := faults.ParsePlan(c.in)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("ParsePlan(%q):\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestDurationRoundTrip(t *testing.T) {
	for _, d := range []sim.Time{0, 1, 999, sim.Microsecond, 1500 * sim.Microsecond, sim.Second, 90 * sim.Second, 3*sim.Second + 7} {
		s := faults.FormatDuration(d)
		back, err := sim.ParseDuration(s)
		if err != nil || back != d {
			t.Errorf("%v → %q → %v, %v", int64(d), s, back, err)
		}
	}
	for _, ppm := range []uint32{0, 1, 10, 2500, 10_000, 123_456, 1_000_000} {
		s := faults.FormatRate(ppm)
		back, err := faults.ParseRate(s)
		if err != nil || back != ppm {
			t.Errorf("%d ppm → %q → %d, %v", ppm, s, back, err)
		}
	}
}

// errorTextBytesMax bounds an error message: input is quoted cut short.
const errorTextBytesMax = 400

// checkErrorText requires an error to be one printable line of bounded
// length, whatever bytes the plan held.
func checkErrorText(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if len(msg) > errorTextBytesMax || strings.IndexFunc(msg, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		t.Fatalf("error text not one short printable line: %.300q", msg)
	}
}

func TestErrorsQuoteUntrustedInput(t *testing.T) {
	long := strings.Repeat("x", 1000)
	for _, plan := range []string{"at 1s crash " + long + "\x1b", "at 1s " + long, "at 1s drop " + long + "%", "at 1s crash n\x1b[2J"} {
		if _, err := faults.ParsePlan(plan); err == nil {
			t.Errorf("%.40q parsed", plan)
		} else {
			checkErrorText(t, err)
		}
	}
}

// FuzzParse checks that Parse never panics and that what it accepts renders to
// text that parses back to the same fault, and renders the same again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"crash n1 torn", "partition a b | c", "skew n1 -3ms drift 7ppm", "spike a <-> b 1ms for 2s",
		"bridge x", "drop 0.5%", "clog a->b for 1us", "split a|b", "pause n for 1.5s", "at 1s heal; at 2s mend",
		"reconfigure replace a b", "at 1s reconfigure add n4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fault, err := faults.Parse(s)
		if err != nil {
			checkErrorText(t, err)
		}
		if err == nil {
			text := fault.String()
			again, err := faults.Parse(text)
			if err != nil {
				t.Fatalf("%q → %q does not parse: %v", s, text, err)
			}
			if diff := cmp.Diff(fault, again); diff != "" || again.String() != text {
				t.Fatalf("%q → %q does not round-trip:\n%s", s, text, diff)
			}
		}
		plan, err := faults.ParsePlan(s)
		if err != nil {
			checkErrorText(t, err)
		}
		if err == nil {
			again, err := faults.ParsePlan(plan.String())
			if err != nil {
				t.Fatalf("plan %q → %q does not parse: %v", s, plan.String(), err)
			}
			if diff := cmp.Diff(plan, again, cmpopts.IgnoreFields(faults.Entry{}, "Line", "Col")); diff != "" {
				t.Fatalf("plan %q does not round-trip:\n%s", s, diff)
			}
		}
	})
}

func TestKindNames(t *testing.T) {
	for _, k := range faults.Kinds() {
		back, err := faults.ParseKind(k.String())
		if err != nil || back != k {
			t.Errorf("%v → %v, %v", k, back, err)
		}
	}
	if !strings.HasPrefix(faults.Kind(200).String(), "kind(") {
		t.Error("unknown kind renders without a marker")
	}
}

func TestSynopsesParse(t *testing.T) {
	for _, k := range faults.Kinds() {
		if !strings.HasPrefix(k.Synopsis(), k.String()) {
			t.Errorf("synopsis of %v: %q", k, k.Synopsis())
		}
	}
}
