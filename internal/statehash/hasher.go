package statehash

import (
	"encoding/binary"
	"math"
)

// Hasher accumulates a 64-bit hash from a stream of values; the zero value is
// ready. It is fast and well mixed, not cryptographic.
type Hasher struct {
	h uint64
}

const (
	hashMultiplier = 0x9e3779b97f4a7c15
	hashSeed       = 0x6f72726572792d68 // "orrery-h"
)

// WriteUint64 mixes one word into the hash.
func (h *Hasher) WriteUint64(x uint64) {
	v := (h.h ^ hashSeed ^ x) * hashMultiplier
	h.h = v ^ v>>32
}

func (h *Hasher) WriteInt64(x int64) { h.WriteUint64(uint64(x)) }

func (h *Hasher) WriteBool(b bool) {
	if b {
		h.WriteUint64(1)
		return
	}
	h.WriteUint64(0)
}

// WriteFloat64 hashes equal floats equally: -0 as 0, and every NaN alike.
func (h *Hasher) WriteFloat64(f float64) {
	switch {
	case f == 0:
		f = 0
	case f != f:
		f = math.NaN()
	}
	h.WriteUint64(math.Float64bits(f))
}

// WriteString hashes the length and the bytes, so that consecutive strings
// cannot run together.
func (h *Hasher) WriteString(s string) {
	h.WriteUint64(uint64(len(s)))
	for len(s) >= 8 {
		h.WriteUint64(binary.LittleEndian.Uint64([]byte(s[:8])))
		s = s[8:]
	}
	var tail [8]byte
	copy(tail[:], s)
	h.WriteUint64(binary.LittleEndian.Uint64(tail[:]))
}

func (h *Hasher) WriteBytes(b []byte) { h.WriteString(string(b)) }

// Sum64 returns the finalised hash; the Hasher may go on being written.
func (h *Hasher) Sum64() uint64 {
	x := h.h
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
