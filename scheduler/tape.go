package scheduler

import "hash/fnv"

// Tape answers choices from a byte string: the decision tape a coverage-guided
// fuzzer (go test -fuzz, simtest.Fuzz) mutates. Each answer takes 1, 2, 4 or 8
// bytes, the fewest of those that can name every value in [0, n) (one byte for
// n <= 256, none for n = 1), read big-endian modulo n, in the order the run asks; the nemesis draws its whole plan while the world is set
// up, so a tape's first bytes are the fault plan, then the workload and the
// delays of the first messages. Once the tape runs out, answers come from a
// Seeded chooser whose seed is a hash of the tape, so a short tape still makes
// a whole run and every tape a different one.
type Tape struct {
	data []byte
	pos  int
	rest *Seeded
}

// NewTape returns a chooser that answers from data, then from a seeded stream.
func NewTape(data []byte) *Tape {
	h := fnv.New64a()
	h.Write(data)
	return &Tape{data: data, rest: NewSeeded(h.Sum64())}
}

// Choose implements Chooser.
func (t *Tape) Choose(p Purpose, n uint64) uint64 {
	if n <= 1 {
		return 0
	}
	width := tapeWidth(n)
	if t.pos+width > len(t.data) {
		t.pos = len(t.data)
		return t.rest.Choose(p, n)
	}
	var v uint64
	for _, b := range t.data[t.pos : t.pos+width] {
		v = v<<8 | uint64(b)
	}
	t.pos += width
	return v % n
}

// Used is how many bytes of the tape the run has read.
func (t *Tape) Used() int { return t.pos }

// tapeWidth is the bytes an answer in [0, n) takes: 1, 2, 4 or 8.
func tapeWidth(n uint64) int {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	case n <= 1<<32:
		return 4
	}
	return 8
}
