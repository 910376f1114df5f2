package randhook_test

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/orrery-sim/orrery/randhook"
	"github.com/orrery-sim/orrery/scheduler"
	"github.com/orrery-sim/orrery/sim"
	"github.com/orrery-sim/orrery/traces"
)

func init() { randhook.Install() }

// library draws the way etcd's raft does: crypto/rand.Int over the package-wide
// crypto/rand.Reader, with no hook.
func library(n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		panic(err)
	}
	return v.Int64()
}

// counting is a deterministic reader: 0, 1, 2, ... from start.
type counting struct{ next byte }

func (c *counting) Read(p []byte) (int, error) {
	for i := range p {
		p[i], c.next = c.next, c.next+1
	}
	return len(p), nil
}

func TestWithServesEachGoroutineItsOwnReader(t *testing.T) {
	const goroutines, draws = 8, 200
	got := make([][]int64, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			randhook.With(&counting{next: byte(g)}, func() {
				for range draws {
					got[g] = append(got[g], library(256))
				}
			})
		})
	}
	// Goroutines outside With keep the system's source meanwhile.
	wg.Go(func() {
		for range draws {
			library(1 << 62)
		}
	})
	wg.Wait()
	for g := range goroutines {
		want := make([]int64, draws)
		for i := range want {
			want[i] = int64(byte(g + i))
		}
		if diff := cmp.Diff(want, got[g]); diff != "" {
			t.Errorf("goroutine %d (-want +got):\n%s", g, diff)
		}
	}
}

func TestWithNestsAndRestores(t *testing.T) {
	var got []int64
	randhook.With(&counting{next: 10}, func() {
		got = append(got, library(256))
		randhook.With(&counting{next: 100}, func() { got = append(got, library(256)) })
		got = append(got, library(256))
	})
	if diff := cmp.Diff([]int64{10, 100, 11}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// drawer is an agent whose "library" picks its timeout from crypto/rand.
type drawer struct{ drawn []int64 }

func (d *drawer) Start(ctx *sim.Context)                        { d.Timer(ctx, "t") }
func (d *drawer) Receive(*sim.Context, sim.NodeID, sim.Message) {}
func (d *drawer) Timer(ctx *sim.Context, _ string) {
	var v int64
	randhook.With(ctx.RandReader(), func() { v = library(10) })
	d.drawn = append(d.drawn, v)
	ctx.SetTimer("t", sim.Time(v+1)*sim.Millisecond)
}

// run returns the trace's lines and what the agent drew, for one seed.
func run(seed uint64) ([]string, []int64) {
	w := sim.New(sim.Options{Chooser: scheduler.NewSeeded(seed)})
	d := &drawer{}
	w.AddAgent(sim.AgentSpec{Name: "n1", New: func() sim.Agent { return d }})
	var lines []string
	w.SetTrace(func(e *traces.Event) { lines = append(lines, fmt.Sprint(e.Time, e.Desc, e.Choices)) })
	w.RunUntil(200 * sim.Millisecond)
	return lines, d.drawn
}

// TestLibraryRandomnessIsAScheduleChoice: a library's crypto/rand draws are
// choices of the run: the same seed gives the same draws and trace on any
// number of concurrent worlds, and they are recorded in the trace.
func TestLibraryRandomnessIsAScheduleChoice(t *testing.T) {
	const seeds = 6
	var want [seeds][]string
	for s := range seeds {
		want[s], _ = run(uint64(s))
	}
	if diff := cmp.Diff(want[0], want[1]); diff == "" {
		t.Fatal("two seeds drew the same timeouts")
	}
	lines, drawn := run(0)
	if len(drawn) < 20 || len(lines) == 0 {
		t.Fatalf("only %d draws", len(drawn))
	}
	if !strings.Contains(lines[1], "rand:") {
		t.Errorf("the draw is not a recorded choice: %s", lines[1])
	}
	var got [seeds][]string
	var wg sync.WaitGroup
	for s := range seeds {
		wg.Go(func() { got[s], _ = run(uint64(s)) })
	}
	wg.Wait()
	for s := range seeds {
		if diff := cmp.Diff(want[s], got[s]); diff != "" {
			t.Errorf("seed %d concurrently (-alone +concurrent):\n%s", s, diff)
		}
	}
}
