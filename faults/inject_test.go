package faults_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/faults"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

const ms = sim.Millisecond

func TestCrashedBoxReceivesNothing(t *testing.T) {
	c := newCluster(t, 1, 3, 0, fifoNet)
	c.trace()
	in := faults.NewInjector(c.w, c.servers)
	c.w.RunUntil(100 * ms)
	c.apply(t, in, "crash n2")
	c.w.RunUntil(300 * ms)
	if got := c.w.Stats().Crashes; got != 1 {
		t.Fatalf("crashes %d", got)
	}
	for _, e := range c.events {
		if e.Node == "n2" && e.Time > int64(100*ms) && (e.Kind == traces.KindRecv || e.Kind == traces.KindTimer) {
			t.Fatalf("crashed n2 handled %s", e.Desc)
		}
	}
	drops := 0
	for _, e := range c.events {
		if e.Kind == traces.KindDrop && e.Node == "n2" && e.Text == "receiver down" {
			drops++
		}
	}
	if drops < 30 {
		t.Fatalf("only %d messages to the crashed n2 were dropped", drops)
	}
	c.apply(t, in, "restart n2")
	c.w.RunUntil(400 * ms)
	if p := c.probe("n2"); p == nil || len(p.heardFrom(c.id("n1"), 300*ms, 400*ms)) < 5 {
		t.Fatal("restarted n2 hears nothing")
	}
}

// writer writes keys w0..w9 without syncing, after a synced key "base".
type writer struct{}

func (writer) Start(ctx *sim.Context) {
	if _, ok := ctx.Storage().Get("base"); ok {
		return // recovering: keep what survived
	}
	ctx.Storage().Put("base", []byte("synced"))
	ctx.Sync()
	for i := 0; i < 10; i++ {
		ctx.Storage().Put(fmt.Sprintf("w%d", i), []byte("unsynced"))
	}
}
func (writer) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (writer) Timer(*sim.Context, string)                    {}

// crashWriter starts a writer, crashes it with the given fault and restarts it,
// and returns the keys that survived.
func crashWriter(t *testing.T, seed uint64, crash string) []string {
	c := newCluster(t, seed, 0, 0, fifoNet)
	c.w.AddAgent(sim.AgentSpec{Name: "n1", Box: "disk", New: func() sim.Agent { return writer{} }})
	in := faults.NewInjector(c.w, nil)
	c.w.RunUntil(ms)
	c.apply(t, in, crash, "restart disk")
	c.w.RunUntil(2 * ms)
	return c.w.StorageOf(0).Keys("")
}

func TestCrashModes(t *testing.T) {
	if diff := cmp.Diff([]string{"base"}, crashWriter(t, 1, "crash n1")); diff != "" {
		t.Errorf("lose (-want +got):\n%s", diff)
	}
	all := []string{"base", "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"}
	if diff := cmp.Diff(all, crashWriter(t, 1, "crash n1 keep")); diff != "" {
		t.Errorf("keep (-want +got):\n%s", diff)
	}
	torn := map[int]bool{}
	for seed := uint64(1); seed <= 40; seed++ {
		got := crashWriter(t, seed, "crash disk torn")
		if diff := cmp.Diff(all[:len(got)], got); diff != "" {
			t.Fatalf("seed %d: torn write kept no prefix (-want +got):\n%s", seed, diff)
		}
		torn[len(got)] = true
	}
	if len(torn) < 5 {
		t.Fatalf("torn writes kept only %d different prefixes over 40 seeds", len(torn))
	}
}

func TestPartitionShapes(t *testing.T) {
	cases := []struct{ faults, want string }{
		{"cut n1 -> n2", `\x...|.\...|..\..|...\.|....\`},
		{"cut n1 <-> n2", `\x...|x\...|..\..|...\.|....\`},
		{"isolate n2", `\x...|x\xxx|.x\..|.x.\.|.x..\`},
		{"partition n1 n2 | n3 n4 n5", `\.xxx|.\xxx|xx\..|xx.\.|xx..\`},
		{"partition n1 | n2 | n3 n4", `\xxx.|x\xx.|xx\..|xx.\.|....\`},
		{"bridge n1 n2 n3 | n3 n4 n5", `\..xx|.\.xx|..\..|xx.\.|xx..\`},
		{"split n4 n5 | n1 n2 n3", `\..xx|.\.xx|..\xx|xxx\.|xxx.\`},
		{"cut n1 -> n2; mend", `\....|.\...|..\..|...\.|....\`},
		{"isolate n1; partition n1 n2 | n3 n4 n5; heal", `\....|.\...|..\..|...\.|....\`},
	}
	for _, tc := range cases {
		c := newCluster(t, 1, 5, 0, fifoNet)
		in := faults.NewInjector(c.w, c.servers)
		c.apply(t, in, strings.Split(tc.faults, "; ")...)
		got := strings.ReplaceAll(strings.TrimSuffix(c.cuts(), "\n"), "\n", "|")
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.faults, got, tc.want)
		}
	}
}

// TestDrawnShapes checks the shapes drawn at application time: split leaves a
// minority, halves two halves, bridge one node linked to both sides.
func TestDrawnShapes(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		for _, shape := range []string{"split", "halves", "bridge n3"} {
			c := newCluster(t, seed, 5, 0, fifoNet)
			in := faults.NewInjector(c.w, c.servers)
			c.apply(t, in, shape)
			reach := make([]int, 5) // servers each one still reaches
			for a := range c.servers {
				for b := range c.servers {
					if a != b && !c.w.IsCut(c.servers[a], c.servers[b]) {
						reach[a]++
					}
				}
			}
			slices.Sort(reach)
			want := map[string][]int{"split": {1, 1, 2, 2, 2}, "halves": {1, 1, 2, 2, 2}, "bridge n3": {2, 2, 2, 2, 4}}[shape]
			if diff := cmp.Diff(want, reach); diff != "" {
				t.Fatalf("seed %d %s: links per node (-want +got):\n%s", seed, shape, diff)
			}
		}
	}
}

func TestOneWayCutDropsOneDirection(t *testing.T) {
	c := newCluster(t, 1, 2, 0, fifoNet)
	in := faults.NewInjector(c.w, c.servers)
	c.w.RunUntil(50 * ms)
	c.apply(t, in, "cut n1 -> n2")
	c.w.RunUntil(250 * ms)
	n1, n2 := c.id("n1"), c.id("n2")
	if got := c.probe("n2").heardFrom(n1, 60*ms, 250*ms); len(got) != 0 {
		t.Fatalf("n2 heard n1 through the cut: %v", got)
	}
	if got := c.probe("n1").heardFrom(n2, 60*ms, 250*ms); len(got) < 15 {
		t.Fatalf("n1 heard only %v from n2", got)
	}
	if got := c.w.Stats().Faults["cut"]; got != 1 {
		t.Fatalf("cut counted %d times", got)
	}
}

func TestPausedBoxHandlesQueueInOrderAfterResume(t *testing.T) {
	c := newCluster(t, 1, 3, 0, fifoNet)
	c.trace()
	in := faults.NewInjector(c.w, c.servers)
	c.w.RunUntil(100 * ms)
	c.apply(t, in, "pause n2 for 200ms")
	c.w.RunUntil(400 * ms)
	var during, after []string
	for _, e := range c.events {
		if e.Node != "n2" || e.Kind != traces.KindRecv {
			continue
		}
		switch {
		case e.Time > int64(100*ms) && e.Time < int64(300*ms):
			during = append(during, e.Desc)
		case e.Time == int64(300*ms):
			after = append(after, e.Desc)
		}
	}
	if len(during) > 0 {
		t.Fatalf("paused n2 handled %v", during)
	}
	if len(after) < 30 {
		t.Fatalf("n2 handled only %d queued messages at resume", len(after))
	}
	p := c.probe("n2")
	for _, from := range []sim.NodeID{c.id("n1"), c.id("n3")} {
		got := p.heardFrom(from, 0, 400*ms)
		if !slices.IsSorted(got) || len(got) < 35 {
			t.Fatalf("n2 heard from %d out of order or too little: %v", from, got)
		}
	}
	if c.w.Stats().Pauses != 1 {
		t.Fatalf("pauses %d", c.w.Stats().Pauses)
	}
}

func TestSkewedClockFiresTimersEarlyOrLate(t *testing.T) {
	c := newCluster(t, 1, 3, 0, fifoNet)
	in := faults.NewInjector(c.w, c.servers)
	c.apply(t, in, "skew n1 +30ms drift +100000ppm", "skew n2 drift -100000ppm")
	c.w.RunUntil(sim.Second)
	ticks := []int{c.probe("n1").ticks, c.probe("n2").ticks, c.probe("n3").ticks}
	if diff := cmp.Diff([]int{110, 90, 100}, ticks); diff != "" {
		t.Fatalf("ticks in 1s (-want +got):\n%s", diff)
	}
	if got := c.w.LocalTime(c.id("n1")); got != sim.Second+30*ms+100*ms {
		t.Fatalf("n1's clock shows %v", got)
	}
	// A later skew steps from what the clock shows, not from true time.
	c.apply(t, in, "skew n1 -10ms drift +0ppm")
	if got := c.w.LocalTime(c.id("n1")); got != sim.Second+120*ms {
		t.Fatalf("n1's clock shows %v after a -10ms step", got)
	}
}

func TestDupDeliversTwiceAndDropLoses(t *testing.T) {
	c := newCluster(t, 1, 2, 0, fifoNet)
	in := faults.NewInjector(c.w, c.servers)
	c.apply(t, in, "dup 100%")
	c.w.RunUntil(105 * ms)
	got := c.probe("n2").heardFrom(c.id("n1"), 0, sim.Second)
	if diff := cmp.Diff([]int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9}, got[:18]); diff != "" {
		t.Fatalf("n2 heard (-want +got):\n%s", diff)
	}
	c.apply(t, in, "dup 0%", "drop 100%")
	c.w.RunUntil(210 * ms)
	if got := c.probe("n2").heardFrom(c.id("n1"), 110*ms, sim.Second); len(got) != 0 {
		t.Fatalf("heard %v through 100%% loss", got)
	}
	s := c.w.Stats()
	if s.Duplicated < 18 || s.Lost < 18 {
		t.Fatalf("duplicated %d, lost %d", s.Duplicated, s.Lost)
	}
}

func TestClogHoldsThenReleases(t *testing.T) {
	c := newCluster(t, 1, 2, 0, fifoNet)
	in := faults.NewInjector(c.w, c.servers)
	c.w.RunUntil(100 * ms)
	c.apply(t, in, "clog n1 -> n2 for 200ms")
	c.w.RunUntil(400 * ms)
	var held, released int
	for _, h := range c.probe("n2").heard {
		switch {
		case h.sentAt > 100*ms && h.sentAt < 300*ms-3*ms:
			held++
			if h.at != 300*ms {
				t.Fatalf("clogged message sent at %v arrived at %v", h.sentAt, h.at)
			}
		case h.sentAt >= 300*ms:
			released++
			if h.at-h.sentAt > 3*ms {
				t.Fatalf("message after the clog took %v", h.at-h.sentAt)
			}
		}
	}
	if held < 15 || released < 5 {
		t.Fatalf("held %d, released %d", held, released)
	}
	if n := c.probe("n1").heardFrom(c.id("n2"), 100*ms, 300*ms); len(n) < 15 {
		t.Fatal("clog n1 -> n2 held the other direction")
	}
}

func TestSpikeAndJitterDelay(t *testing.T) {
	c := newCluster(t, 1, 2, 0, fifoNet)
	in := faults.NewInjector(c.w, c.servers)
	c.w.RunUntil(100 * ms)
	c.apply(t, in, "spike n1 -> n2 50ms for 200ms")
	c.w.RunUntil(500 * ms)
	for _, h := range c.probe("n2").heard {
		latency := h.at - h.sentAt
		spiked := h.sentAt > 100*ms && h.sentAt < 300*ms
		if spiked != (latency >= 50*ms) {
			t.Fatalf("sent at %v, latency %v", h.sentAt, latency)
		}
	}
	c.apply(t, in, "jitter 40ms")
	c.w.RunUntil(sim.Second)
	slow := 0
	for _, h := range c.probe("n1").heard {
		if h.sentAt >= 500*ms && h.at-h.sentAt > 3*ms {
			slow++
		}
	}
	if slow < 20 {
		t.Fatalf("jitter slowed only %d messages", slow)
	}
	c.apply(t, in, "heal")
	if c.w.Network() != fifoNet {
		t.Fatalf("heal left the network at %+v", c.w.Network())
	}
}

func TestHealAll(t *testing.T) {
	c := newCluster(t, 1, 3, 0, fifoNet)
	in := faults.NewInjector(c.w, c.servers)
	c.w.RunUntil(100 * ms)
	c.apply(t, in, "crash n1", "pause n2", "isolate n3", "drop 50%", "jitter 1s", "skew n3 +5ms drift +1000ppm")
	c.w.RunUntil(200 * ms)
	shown := c.w.LocalTime(c.id("n3"))
	in.HealAll()
	if !c.w.BoxUp("n1") || c.w.BoxPaused("n2") || c.w.IsCut(c.id("n3"), c.id("n1")) || c.w.Network() != fifoNet {
		t.Fatal("HealAll left a fault in place")
	}
	if off, drift := c.w.Clock(c.id("n3")); drift != 0 || c.w.LocalTime(c.id("n3")) != shown || off == 0 {
		t.Fatalf("clock after heal: offset %v drift %d", off, drift)
	}
	if !in.Stopped() {
		t.Fatal("not stopped")
	}
}

func TestUnknownNames(t *testing.T) {
	c := newCluster(t, 1, 2, 1, fifoNet)
	in := faults.NewInjector(c.w, c.servers)
	f, _ := faults.Parse("partition n1 | n7")
	want := `unknown node "n7" (agents and boxes: n1 n2 c1)`
	if err := in.Apply(f); err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	_, err := faults.Install(c.w, faults.Options{Spec: "at 1s heal\nat 2s  crash n3", Servers: c.servers, Safety: sim.Second})
	if want := `plan:2:1: unknown node "n3" (agents and boxes: n1 n2 c1)`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	_, err = faults.Install(c.w, faults.Options{Spec: "at 1s heal\nat 2s crash", Servers: c.servers})
	if want := `plan:2:12: expected a node name after "crash", found end of text`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestInstallPlanRunsAndHeals(t *testing.T) {
	c := newCluster(t, 1, 3, 0, fifoNet)
	c.trace()
	opts, err := faults.Install(c.w, faults.Options{
		Spec:    "at 100ms crash n1; at 200ms partition n2 | n3\nat 300ms drop 5% # lossy\nat 2s restart n1",
		Servers: c.servers, Tolerates: 1, Safety: sim.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []traces.Option{{Key: "faults", Value: "plan"},
		{Key: "fault.plan", Value: "at 100ms crash n1; at 200ms partition n2 | n3; at 300ms drop 5%; at 2s restart n1"}}
	if diff := cmp.Diff(want, opts); diff != "" {
		t.Fatalf("options (-want +got):\n%s", diff)
	}
	r := c.w.Run(sim.Second, sim.Second)
	if r.Failed() {
		t.Fatal(r.Reason)
	}
	got := c.lines(traces.KindCrash, traces.KindRestart, traces.KindFault, traces.KindPhase)
	wantLines := []string{
		"0.100000s crash: n1",
		"0.200000s fault: partition n2 | n3",
		"0.300000s fault: drop 5%",
		"1.000000s phase: liveness phase: faults healed",
		"1.000000s restart: n1",
		"1.000000s fault: heal all: network, paused and crashed boxes, clock drift",
	}
	if diff := cmp.Diff(wantLines, got); diff != "" {
		t.Fatalf("trace (-want +got):\n%s", diff)
	}
	wantCounters := []traces.Option{{Key: "crash", Value: "1"}, {Key: "restart", Value: "1"}, {Key: "partition", Value: "1"},
		{Key: "heal", Value: "1"}, {Key: "drop", Value: "1"}, {Key: "lost", Value: strFromUint(r.Stats.Lost)}}
	if diff := cmp.Diff(wantCounters, faults.Counters(r.Stats)); diff != "" || r.Stats.Lost == 0 {
		t.Fatalf("counters (-want +got):\n%s", diff)
	}
}

func strFromUint(v uint64) string { return fmt.Sprint(v) }
