package explore_test

import (
	"encoding/binary"
	"fmt"

	"github.com/orrery-sim/orrery/explore"
)

// grid walks from (0,0) to (size,size) one step right or up at a time. A
// planted invariant fails at bad, and (size,size) has no enabled action.
type grid struct {
	size     int
	bad      point
	terminal bool // mark (size,size) terminal so it is not a deadlock
	fp       func(point) uint64
}

type point struct{ X, Y int }

type step uint8

const (
	right step = iota
	up
)

func (g *grid) Name() string        { return fmt.Sprintf("grid(%d)", g.size) }
func (g *grid) InitStates() []point { return []point{{0, 0}} }
func (g *grid) AppendKey(dst []byte, p point) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(p.X))
	return binary.LittleEndian.AppendUint32(dst, uint32(p.Y))
}

func (g *grid) Actions(p point, actions []step) []step {
	if p.X < g.size {
		actions = append(actions, right)
	}
	if p.Y < g.size {
		actions = append(actions, up)
	}
	return actions
}

func (g *grid) NextState(p point, a step) (point, bool) {
	switch {
	case a == right && p.X < g.size:
		return point{p.X + 1, p.Y}, true
	case a == up && p.Y < g.size:
		return point{p.X, p.Y + 1}, true
	}
	return p, false
}

func (g *grid) Properties() []explore.Property[point] {
	return []explore.Property[point]{
		explore.Always("not-bad", func(p point) bool { return p != g.bad }),
		explore.Sometimes("corner", func(p point) bool { return p.X == g.size && p.Y == g.size }),
	}
}

func (g *grid) Fingerprint(p point) uint64 {
	if g.fp != nil {
		return g.fp(p)
	}
	return mix(uint64(p.X)<<32 | uint64(p.Y))
}

func (g *grid) IsTerminal(p point) bool { return g.terminal && p.X == g.size && p.Y == g.size }

func (g *grid) DescribeState(p point) string { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }
func (g *grid) DescribeAction(a step) string { return [...]string{"right", "up"}[a] }

// graph is a pseudo-random directed graph on nodes [0, nodes): node n has
// fanout successors drawn from a hash of (n, i), so a level has many
// duplicates across chunks, which exercises the deterministic choice of
// discoverer. The invariant fails at node bad (if reachable).
type graph struct {
	nodes, fanout int
	bad           uint32
}

func (g *graph) Name() string         { return fmt.Sprintf("graph(%d,%d)", g.nodes, g.fanout) }
func (g *graph) InitStates() []uint32 { return []uint32{0, 1} }

func (g *graph) Actions(n uint32, actions []int) []int {
	for i := range g.fanout {
		actions = append(actions, i)
	}
	return actions
}

func (g *graph) NextState(n uint32, i int) (uint32, bool) {
	// Successors are biased towards nearby nodes so the graph is deep.
	next := uint32((uint64(n) + mix(uint64(n)<<8|uint64(i))%64) % uint64(g.nodes))
	return next, true
}

func (g *graph) Properties() []explore.Property[uint32] {
	return []explore.Property[uint32]{explore.Always("not-bad", func(n uint32) bool { return n != g.bad })}
}

func (g *graph) Fingerprint(n uint32) uint64 { return mix(uint64(n)) }

func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// referenceBFS is a plain sequential BFS with a Go map: the oracle for counts,
// depth and the first violating state in canonical order.
func referenceBFS[S comparable, A any](m explore.Model[S, A], violates func(S) bool) (states, generated int64, depth int, path []S) {
	parent := map[S]S{}
	var level []S
	seen := map[S]bool{}
	for _, s := range m.InitStates() {
		generated++
		if !seen[s] {
			seen[s] = true
			level = append(level, s)
		}
	}
	var found *S
	for len(level) > 0 && found == nil {
		depth++
		states += int64(len(level))
		for _, s := range level {
			if violates(s) {
				found = &s
				break
			}
		}
		if found != nil {
			break
		}
		var next []S
		for _, s := range level {
			for _, a := range m.Actions(s, nil) {
				n, ok := m.NextState(s, a)
				if !ok {
					continue
				}
				generated++
				if !seen[n] {
					seen[n] = true
					parent[n] = s
					next = append(next, n)
				}
			}
		}
		level = next
	}
	if found != nil {
		for s, ok := *found, true; ok; s, ok = parent[s] {
			path = append([]S{s}, path...)
		}
	}
	return states, generated, depth, path
}
