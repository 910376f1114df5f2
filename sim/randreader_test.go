package sim_test

import (
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
)

// reader draws a few bytes through its context's RandReader at start.
type reader struct{ got []byte }

func (r *reader) Start(ctx *sim.Context) {
	r.got = make([]byte, 5)
	if _, err := io.ReadFull(ctx.RandReader(), r.got); err != nil {
		panic(err)
	}
}
func (r *reader) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (r *reader) Timer(*sim.Context, string)                    {}

func readBytes(c scheduler.Chooser) []byte {
	w := sim.New(sim.Options{Chooser: c})
	r := &reader{}
	w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return r }})
	w.RunUntil(sim.Millisecond)
	return r.got
}

// TestRandReaderBytesAreChoices: each byte is one rand choice of 256, so a
// recorded run replays its bytes and a shrunk (emptied) log reads zeros.
func TestRandReaderBytesAreChoices(t *testing.T) {
	rec := &scheduler.Recorder{Inner: scheduler.NewSeeded(3)}
	got := readBytes(rec)
	var want []byte
	for _, c := range rec.Log {
		if c.Purpose == scheduler.Rand && c.N == 256 {
			want = append(want, byte(c.Value))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" || len(got) != 5 {
		t.Fatalf("bytes vs recorded choices (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(got, readBytes(scheduler.NewReplay(rec.Log))); diff != "" {
		t.Errorf("replay (-recorded +replayed):\n%s", diff)
	}
	if diff := cmp.Diff(make([]byte, 5), readBytes(scheduler.NewReplay(nil))); diff != "" {
		t.Errorf("empty log (-want +got):\n%s", diff)
	}
}
