package hunt

import (
	"github.com/orrery-sim/orrery/sim"
)

// Feature is the abstract state of one agent: a hash of its summary (the
// sim.Summarizer line, "leader term=3 commit=5 last=6 leader=n2") in which
//   - a number value becomes its magnitude class (0, 1, then the bit length:
//     2-3, 4-7, ...) and its order against the number before it in the line
//     (<, =, >), so "commit=50 applied=50 last=51" keeps applied = commit <
//     last but not the values;
//   - a value equal to the agent's own name becomes "self" (who is leader,
//     relative to me), and digits elsewhere are masked ("n4" and "n2" are
//     alike).
//
// Agents that do not summarize themselves have no feature (ok false).
func Feature(a sim.Agent, self string) (uint64, bool) {
	s, ok := a.(sim.Summarizer)
	if !ok {
		return 0, false
	}
	return abstractHash(s.Summary(), self), true
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// abstractHash hashes the abstraction of a summary without building it.
func abstractHash(summary, self string) uint64 {
	h := uint64(fnvOffset)
	put := func(b byte) { h = (h ^ uint64(b)) * fnvPrime }
	var prev int64
	havePrev := false
	for i := 0; i < len(summary); {
		j := i
		for j < len(summary) && summary[j] != ' ' {
			j++
		}
		tok := summary[i:j]
		i = j + 1
		key, val, isPair := cutByte(tok, '=')
		if !isPair {
			putMasked(put, tok)
			put(' ')
			continue
		}
		putMasked(put, key)
		put('=')
		switch n, isNum := parseInt(val); {
		case isNum:
			put(magnitude(n))
			if havePrev {
				put(order(prev, n))
			}
			prev, havePrev = n, true
		case val == self:
			put('@')
		default:
			putMasked(put, val)
		}
		put(' ')
	}
	return h
}

func cutByte(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// putMasked hashes s with every run of digits as one '#'.
func putMasked(put func(byte), s string) {
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if !digits {
				put('#')
			}
			digits = true
			continue
		}
		digits = false
		put(c)
	}
}

// parseInt reads a decimal integer (optionally negative), at most 18 digits.
func parseInt(s string) (int64, bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// magnitude is a number's class: '-' negative, 'a' zero, then 'b'+bit length
// (1, 2-3, 4-7, ...).
func magnitude(n int64) byte {
	if n < 0 {
		return '-'
	}
	bits := byte(0)
	for ; n > 0; n >>= 1 {
		bits++
	}
	return 'a' + bits
}

func order(a, b int64) byte {
	switch {
	case a < b:
		return '<'
	case a > b:
		return '>'
	}
	return '='
}
