package faults

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/orrery-sim/orrery/sim"

	"github.com/orrery-sim/orrery/internal/quote"
)

// Limits on plan text, so that a malformed or hostile plan fails fast.
const (
	planBytesMax     = 1 << 20
	groupsMax        = 64   // sides of one partition
	namesPerGroupMax = 1024 // names in one side
)

type tokKind uint8

const (
	tokEOF   tokKind = iota
	tokWord          // a name, keyword, number with unit
	tokPipe          // |
	tokArrow         // ->
	tokBoth          // <->
	tokSep           // ; or newline: ends an entry
)

type token struct {
	kind      tokKind
	text      string
	line, col int
}

func (t token) quote() string {
	switch t.kind {
	case tokEOF:
		return "end of text"
	case tokSep:
		if t.text == "\n" {
			return "end of line"
		}
		return `";"`
	}
	return quote.Q(t.text)
}

// parser reads the plan syntax. Every error names the source, line and column.
type parser struct {
	source string // "plan" or "fault": the prefix of errors
	toks   []token
	i      int
}

func newParser(source, text string) *parser {
	p := &parser{source: source}
	line, col := 1, 1
	emit := func(k tokKind, s string, l, c int) { p.toks = append(p.toks, token{k, s, l, c}) }
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' || r == ';':
			emit(tokSep, string(r), line, col)
		case r == '#': // a comment ends at the line's end or at ';', the end of an inline entry
			for i+size < len(text) && text[i+size] != '\n' && text[i+size] != ';' {
				size++
			}
		case unicode.IsSpace(r):
		case r == '|':
			emit(tokPipe, "|", line, col)
		case hasAt(text, i, "->"):
			emit(tokArrow, "->", line, col)
			size = 2
		case hasAt(text, i, "<->"):
			emit(tokBoth, "<->", line, col)
			size = 3
		default:
			size = wordLen(text[i:])
			emit(tokWord, text[i:i+size], line, col)
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col += utf8.RuneCountInString(text[i : i+size])
		}
		i += size
	}
	p.toks = append(p.toks, token{kind: tokEOF, line: line, col: col})
	return p
}

func hasAt(s string, i int, prefix string) bool {
	return len(s)-i >= len(prefix) && s[i:i+len(prefix)] == prefix
}

// wordLen is the length of the word starting s: up to a space, a separator, a
// pipe, a comment or an arrow.
func wordLen(s string) int {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) || r == ';' || r == '|' || r == '#' || (i > 0 && (hasAt(s, i, "->") || hasAt(s, i, "<->"))) {
			break
		}
		i += size
	}
	return max(i, 1)
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errorf(t token, format string, args ...any) error {
	return fmt.Errorf("%s:%d:%d: %s", p.source, t.line, t.col, fmt.Sprintf(format, args...))
}

// atEnd reports whether the current entry has no more tokens.
func (p *parser) atEnd() bool { k := p.peek().kind; return k == tokEOF || k == tokSep }

// word reads a word, or fails saying what was expected after what.
func (p *parser) word(what, after string) (token, error) {
	t := p.next()
	if t.kind != tokWord {
		return t, p.errorf(t, "expected %s after %s, found %s", what, quote.Q(after), t.quote())
	}
	return t, nil
}

// name reads an agent or box name: a letter, then letters, digits, '_', '.', '-'.
func (p *parser) name(after string) (string, error) {
	t, err := p.word("a node name", after)
	if err != nil {
		return "", err
	}
	if !validName(t.text) {
		return "", p.errorf(t, "bad node name %s (want a letter, then letters, digits, '_', '.', '-')", quote.Q(t.text))
	}
	return t.text, nil
}

func validName(s string) bool {
	for i, r := range s {
		letter := unicode.IsLetter(r)
		if i == 0 && !letter {
			return false
		}
		if !letter && !unicode.IsDigit(r) && r != '_' && r != '.' && r != '-' {
			return false
		}
	}
	return s != ""
}

func (p *parser) duration(after string) (sim.Time, error) {
	t, err := p.word("a duration", after)
	if err != nil {
		return 0, err
	}
	d, err := sim.ParseDuration(t.text)
	if err != nil {
		return 0, p.errorf(t, "%v", err)
	}
	return d, nil
}

// keyword consumes an optional keyword.
func (p *parser) keyword(k string) bool {
	if t := p.peek(); t.kind == tokWord && t.text == k {
		p.i++
		return true
	}
	return false
}
